/**
 * One repository: its facts and description on top, then tabs as on Docker Hub — Overview (build
 * settings, the full description), Tags (filter, sort, a virtual list, bulk delete) and History
 * (who changed what and when, with Restore on tag entries).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { isNotFound, toErrorBody } from '../api/berth';
import { useSetStar, useUpdateRepo } from '../api/mutations';
import { useRepo } from '../api/queries';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyButton, CopyIcon } from '../components/CopyButton';
import { RelativeTime } from '../components/RelativeTime';
import { BuildSettings } from './BuildSettings';
import { DescriptionEditor } from './DescriptionEditor';
import { FullDescriptionEditor } from './FullDescriptionEditor';
import { TagsSection } from './TagsSection';
import { HistorySection } from './history/HistorySection';
import { LinkPanel } from './sync/LinkPanel';

export type DetailTab = 'overview' | 'tags' | 'history';

interface Props {
  namespace: string;
  repoName: string;
  tab: DetailTab;
  onTabChange(tab: DetailTab): void;
  onDelete(): void;
  onGone(): void;
}

const number = new Intl.NumberFormat();

export function RepoDetail({ namespace, repoName, tab, onTabChange, onDelete, onGone }: Props) {
  const repo = useRepo(namespace, repoName);
  const gone = repo.isError && isNotFound(repo.error);
  useEffect(() => {
    if (gone) onGone();
  }, [gone, onGone]);

  return (
    // Busy while what is shown is the list row standing in for the detail (or nothing yet).
    <section className="detail" aria-label="Repository details" aria-busy={repo.isPending || repo.isPlaceholderData} data-pane="detail">
      {repo.data ? (
        <RepoDetailBody repo={repo.data} tab={tab} onTabChange={onTabChange} onDelete={onDelete} />
      ) : repo.isError ? (
        <p className="list-note error-text" role="alert">
          {toErrorBody(repo.error).detail}
        </p>
      ) : (
        // Opened from a search result: only the name is known yet.
        <div className="detail-scroll">
          <header className="detail-header">
            <div className="detail-title">
              <h2 className="repo-heading" title={`${namespace}/${repoName}`}>
                {namespace}/{repoName}
              </h2>
            </div>
          </header>
          <p className="muted" role="status">
            Loading details…
          </p>
        </div>
      )}
    </section>
  );
}

function RepoDetailBody({
  repo,
  tab,
  onTabChange,
  onDelete,
}: {
  repo: RepoView;
  tab: DetailTab;
  onTabChange(tab: DetailTab): void;
  onDelete(): void;
}) {
  const star = useSetStar(repo.namespace, repo.repo_name);
  const update = useUpdateRepo(repo.namespace, repo.repo_name);
  const [confirmVisibility, setConfirmVisibility] = useState(false);

  return (
    <div className="detail-scroll">
      <header className="detail-header">
        <div className="detail-title">
          {/* The seed's logo fields name hosted-registry images this app cannot load: a monogram stands in. */}
          <span className="repo-logo" aria-hidden="true" title={repo.logo}>
            {repo.repo_name.charAt(0).toUpperCase()}
          </span>
          <h2 className="repo-heading" tabIndex={-1} data-pane-focus title={repo.repo_path}>
            {repo.repo_path}
          </h2>
          <CopyButton text={repo.repo_path} label="Copy repository path" className="icon-button copy-icon">
            <CopyIcon />
          </CopyButton>
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
          <button type="button" disabled={update.isPending} onClick={() => setConfirmVisibility(true)}>
            {repo.is_public ? 'Make private…' : 'Make public…'}
          </button>
          <button type="button" className="button-danger-quiet" onClick={onDelete}>
            Delete repository…
          </button>
        </div>
      </header>

      <DescriptionEditor repo={repo} />

      <LinkPanel repo={repo} />

      <dl className="fact-grid">
        <Fact label="Pulls" value={number.format(repo.download)} />
        <Fact label="Pushes" value={number.format(repo.upload)} />
        <Fact label="Stars" value={number.format(repo.repo_starred_count)} />
        <Fact label="Tags" value={number.format(repo.tag_count)} />
        <Fact label="Created" value={<RelativeTime iso={repo.created_at} />} />
        <Fact label="Updated" value={<RelativeTime iso={repo.updated_at} />} />
        <Fact label="Last pushed" value={<RelativeTime iso={repo.pushed_at} />} />
        <Fact label="Last pulled" value={<RelativeTime iso={repo.pulled_at} />} />
      </dl>

      <DetailTabs
        tab={tab}
        onTabChange={onTabChange}
        tagCount={repo.tag_count}
        overview={
          <>
            {repo.build_config ? <BuildSettings config={repo.build_config} /> : null}
            <FullDescriptionEditor repo={repo} />
          </>
        }
        tags={<TagsSection namespace={repo.namespace} repoName={repo.repo_name} />}
        history={<HistorySection namespace={repo.namespace} repoName={repo.repo_name} />}
      />

      {confirmVisibility ? (
        <ConfirmDialog
          title={repo.is_public ? `Make ${repo.repo_path} private?` : `Make ${repo.repo_path} public?`}
          confirmLabel={repo.is_public ? 'Make private' : 'Make public'}
          busy={update.isPending}
          onClose={() => setConfirmVisibility(false)}
          onConfirm={() => update.mutate({ patch: { is_public: !repo.is_public } }, { onSettled: () => setConfirmVisibility(false) })}
        >
          <p>
            {repo.is_public
              ? 'Only the token holder (this window, tools with the token) will see and pull it; anonymous readers of the API will get “not found”.'
              : 'Anyone who can reach the API will see and pull it, without the token when anonymous reads are on.'}
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

const TABS: { value: DetailTab; label: string }[] = [
  { value: 'overview', label: 'Overview' },
  { value: 'tags', label: 'Tags' },
  { value: 'history', label: 'History' },
];

/** WAI-ARIA tabs with automatic activation: ←/→/Home/End move and show. */
function DetailTabs({
  tab,
  onTabChange,
  tagCount,
  overview,
  tags,
  history,
}: {
  tab: DetailTab;
  onTabChange(tab: DetailTab): void;
  tagCount: number;
  overview: ReactNode;
  tags: ReactNode;
  history: ReactNode;
}) {
  const id = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.value === tab);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = TABS[(target + TABS.length) % TABS.length];
    if (!next) return;
    onTabChange(next.value);
    listRef.current?.querySelector<HTMLElement>(`[data-tab="${next.value}"]`)?.focus();
  };
  return (
    <div className="detail-tabs">
      <div ref={listRef} role="tablist" aria-label="Repository sections" className="tab-strip" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.value}
            type="button"
            role="tab"
            id={`${id}-${t.value}-tab`}
            data-tab={t.value}
            aria-controls={`${id}-${t.value}-panel`}
            aria-selected={tab === t.value}
            tabIndex={tab === t.value ? 0 : -1}
            onClick={() => onTabChange(t.value)}
          >
            {t.label}
            {t.value === 'tags' ? <span className="tab-count">{number.format(tagCount)}</span> : null}
          </button>
        ))}
      </div>
      {TABS.map((t) => (
        <div
          key={t.value}
          role="tabpanel"
          id={`${id}-${t.value}-panel`}
          aria-labelledby={`${id}-${t.value}-tab`}
          hidden={tab !== t.value}
          className="tab-panel"
        >
          {/* Overview and Tags stay mounted: switching tabs must not drop a half-written full description
              or tag form. History is read only while it is shown. */}
          {t.value === 'overview' ? overview : t.value === 'tags' ? tags : tab === 'history' ? history : null}
        </div>
      ))}
    </div>
  );
}

/** Two overlapping sheets: the usual "copy" mark, drawn so it never depends on a font having a glyph. */
function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="fact" data-testid={`fact-${label.toLowerCase().replace(/ /g, '-')}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
