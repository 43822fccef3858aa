/**
 * A repo's tie to an image registry. Linked: the real `docker pull` line, the registry and remote
 * repository, the last sync and its error, Sync now with its progress, and Unlink. Unlinked: the
 * repo is catalogue-only (nothing to pull) and can be linked.
 */
import { useId, useState } from 'react';
import type { LinkView, RepoView } from '../../../../main/contract/types';
import { pullCommand } from '../../api/pull';
import { useTags } from '../../api/queries';
import { isFinished, useJob, useRunningSync, useSyncRepo, useUnlinkRepo } from '../../api/sync';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { RelativeTime } from '../../components/RelativeTime';
import { JobProgress } from './JobProgress';
import { LinkDialog } from './LinkDialog';

export function LinkPanel({ repo }: { repo: RepoView }) {
  const headingId = useId();
  return (
    <section className={`link-panel ${repo.link ? '' : 'link-panel-none'}`} aria-labelledby={headingId}>
      <h3 id={headingId} className="sr-only">
        Registry link
      </h3>
      {repo.link ? <Linked repo={repo} link={repo.link} /> : <Unlinked repo={repo} />}
    </section>
  );
}

/** The tag a repo-level pull line names: latest when there is one, as `docker pull` assumes. */
function usePullTag(namespace: string, repoName: string): string | undefined {
  const tags = useTags(namespace, repoName).data ?? [];
  return tags.find((t) => t.tag === 'latest')?.tag ?? tags[0]?.tag;
}

function Linked({ repo, link }: { repo: RepoView; link: LinkView }) {
  const tag = usePullTag(repo.namespace, repo.repo_name);
  const pull = pullCommand(link.pull_ref, tag);
  const sync = useSyncRepo(repo.namespace, repo.repo_name);
  const running = useRunningSync(repo.namespace, repo.repo_name);
  const [lastJobId, setLastJobId] = useState<string | null>(null);
  const lastJob = useJob(lastJobId).data;
  const shown = running ?? lastJob;
  const busy = sync.isPending || (shown !== undefined && !isFinished(shown));
  const [confirming, setConfirming] = useState(false);
  const [relinking, setRelinking] = useState(false);

  return (
    <>
      <div className="pull-line">
        <code title={pull}>{pull}</code>
        <CopyButton text={pull} label="Copy pull command" />
      </div>
      <div className="link-facts">
        <dl className="fact-grid">
          <div className="fact">
            <dt>Registry</dt>
            <dd>{link.registry}</dd>
          </div>
          <div className="fact fact-remote">
            <dt>Remote repository</dt>
            <dd>
              {/* One line, the whole path on hover: a 255-character path would otherwise stand as a column of letters. */}
              <code title={link.repository}>{link.repository}</code>
            </dd>
          </div>
          <div className="fact">
            <dt>Last sync</dt>
            <dd>
              <RelativeTime iso={link.last_synced_at} never="never synced" />
            </dd>
          </div>
        </dl>
        <div className="link-actions">
          <button
            type="button"
            className="button-primary"
            disabled={busy}
            onClick={() => sync.mutate(undefined, { onSuccess: (job) => setLastJobId(job.id) })}
          >
            {busy ? 'Syncing…' : 'Sync now'}
          </button>
          <button type="button" onClick={() => setRelinking(true)}>
            Change link…
          </button>
          <button type="button" className="button-danger-quiet" onClick={() => setConfirming(true)}>
            Unlink…
          </button>
        </div>
      </div>
      {link.last_sync_error ? (
        <p className="link-error error-text" role="alert">
          Last sync failed: {link.last_sync_error}
        </p>
      ) : null}
      {shown ? <JobProgress job={shown} label={`Sync of ${repo.repo_path}`} /> : null}
      {confirming ? <UnlinkDialog repo={repo} link={link} onClose={() => setConfirming(false)} /> : null}
      {relinking ? <LinkDialog repo={repo} current={link} onClose={() => setRelinking(false)} /> : null}
    </>
  );
}

function UnlinkDialog({ repo, link, onClose }: { repo: RepoView; link: LinkView; onClose(): void }) {
  const unlink = useUnlinkRepo(repo.namespace, repo.repo_name);
  return (
    <Dialog title={`Unlink ${repo.repo_path}?`} onClose={onClose}>
      <p>
        {repo.repo_path} stops following <code>{link.repository}</code> in {link.registry}: no more syncs or live updates, and no pull line.
        Its tags stay in Berth; nothing changes in the registry.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button-danger"
          data-autofocus
          disabled={unlink.isPending}
          onClick={() => unlink.mutate(undefined, { onSettled: onClose })}
        >
          Unlink
        </button>
      </div>
    </Dialog>
  );
}

function Unlinked({ repo }: { repo: RepoView }) {
  const [linking, setLinking] = useState(false);
  return (
    <div className="link-none">
      <span className="badge badge-catalogue">Catalogue only</span>
      <p className="muted">
        Not linked to an image registry: Berth lists its tags but holds no image, so there is nothing to pull from here.
      </p>
      <button type="button" onClick={() => setLinking(true)}>
        Link to a registry…
      </button>
      {linking ? <LinkDialog repo={repo} current={null} onClose={() => setLinking(false)} /> : null}
    </div>
  );
}
