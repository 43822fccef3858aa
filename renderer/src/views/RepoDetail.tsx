/** One repository: its facts, editable descriptions and its tags. */
import { useEffect, type ReactNode } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { isNotFound, toErrorBody } from '../api/berth';
import { useSetStar, useUpdateRepo } from '../api/mutations';
import { useRepo } from '../api/queries';
import { RelativeTime } from '../components/RelativeTime';
import { BuildSettings } from './BuildSettings';
import { DescriptionEditor } from './DescriptionEditor';
import { FullDescriptionEditor } from './FullDescriptionEditor';
import { TagsSection } from './TagsSection';
import { HistorySection } from './history/HistorySection';
import { LinkPanel } from './sync/LinkPanel';

interface Props {
  namespace: string;
  repoName: string;
  onDelete(): void;
  onGone(): void;
}

const number = new Intl.NumberFormat();

export function RepoDetail({ namespace, repoName, onDelete, onGone }: Props) {
  const repo = useRepo(namespace, repoName);
  const gone = repo.isError && isNotFound(repo.error);
  useEffect(() => {
    if (gone) onGone();
  }, [gone, onGone]);

  return (
    <section className="detail" aria-label="Repository details" aria-busy={repo.isPending}>
      {repo.isPending ? (
        <p className="list-note" role="status">
          Loading {namespace}/{repoName}…
        </p>
      ) : repo.isError ? (
        <p className="list-note error-text" role="alert">
          {toErrorBody(repo.error).detail}
        </p>
      ) : (
        <RepoDetailBody repo={repo.data} onDelete={onDelete} />
      )}
    </section>
  );
}

function RepoDetailBody({ repo, onDelete }: { repo: RepoView; onDelete(): void }) {
  const star = useSetStar(repo.namespace, repo.repo_name);
  const update = useUpdateRepo(repo.namespace, repo.repo_name);

  return (
    <div className="detail-scroll">
      <header className="detail-header">
        <div className="detail-title">
          {/* The seed's logo fields name hosted-registry images this app cannot load: a monogram stands in. */}
          <span className="repo-logo" aria-hidden="true" title={repo.logo}>
            {repo.repo_name.charAt(0).toUpperCase()}
          </span>
          <h2>{repo.repo_path}</h2>
          <span className={`badge ${repo.is_public ? 'badge-public' : 'badge-private'}`}>{repo.is_public ? 'Public' : 'Private'}</span>
          {/* As on Docker Hub, only an automated build is worth a badge. */}
          {repo.is_automated ? <span className="badge badge-automated">Automated build</span> : null}
        </div>
        <div className="detail-actions">
          <button
            type="button"
            className={`star-button ${repo.is_repo_starred ? 'star-on' : ''}`}
            aria-pressed={repo.is_repo_starred}
            disabled={star.isPending}
            onClick={() => star.mutate(!repo.is_repo_starred)}
          >
            <span aria-hidden="true">{repo.is_repo_starred ? '★' : '☆'}</span> {repo.is_repo_starred ? 'Starred' : 'Star'}
          </button>
          <button type="button" disabled={update.isPending} onClick={() => update.mutate({ is_public: !repo.is_public })}>
            {repo.is_public ? 'Make private' : 'Make public'}
          </button>
          <button type="button" className="button-danger-quiet" onClick={onDelete}>
            Delete repository…
          </button>
        </div>
      </header>

      <DescriptionEditor repo={repo} />

      <LinkPanel repo={repo} />

      <div className="facts">
        <dl className="fact-grid">
          <Fact label="Pulls" value={number.format(repo.download)} />
          <Fact label="Pushes" value={number.format(repo.upload)} />
          <Fact label="Stars" value={number.format(repo.repo_starred_count)} />
          <Fact label="Tags" value={number.format(repo.tag_count)} />
        </dl>
        <dl className="fact-grid">
          <Fact label="Created" value={<RelativeTime iso={repo.created_at} />} />
          <Fact label="Updated" value={<RelativeTime iso={repo.updated_at} />} />
          <Fact label="Last pushed" value={<RelativeTime iso={repo.pushed_at} />} />
          <Fact label="Last pulled" value={<RelativeTime iso={repo.pulled_at} />} />
        </dl>
      </div>

      <TagsSection namespace={repo.namespace} repoName={repo.repo_name} />

      <HistorySection namespace={repo.namespace} repoName={repo.repo_name} />

      {repo.build_config ? <BuildSettings config={repo.build_config} /> : null}

      <FullDescriptionEditor repo={repo} />
    </div>
  );
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="fact" data-testid={`fact-${label.toLowerCase().replace(/ /g, '-')}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
