/**
 * The repos of one namespace: search, visibility filter, ordering, and a virtual list that asks
 * the API only for the pages under the visible rows (smooth with 10,000 repos). The list is one
 * tab stop: arrows move the selection, Enter opens the repo (focus moves to its details).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import type { NamespaceView, RepoOrdering, RepoView } from '../../../main/contract/types';
import { isNotFound, toErrorBody } from '../api/berth';
import { PAGE_SIZE, useRepoPage, useRepoPageSet, type RepoFilter } from '../api/queries';
import { RelativeTime } from '../components/RelativeTime';

interface Props {
  namespace: string | null;
  namespaceView: NamespaceView | undefined;
  selected: string | null;
  onSelect(repoName: string): void;
  onCreateRepo(): void;
  onCreateNamespace(): void;
  onDeleteNamespace(namespace: string): void;
  /** Enter on a row: the repo is selected and its details take focus. */
  onOpen(repoName: string): void;
  /** The namespace turned out not to exist (deleted before an event could say so). */
  onNamespaceGone(namespace: string): void;
  searchRef: RefObject<HTMLInputElement | null>;
  listRef: RefObject<HTMLDivElement | null>;
  /** Kept up to date with the rows around the selected repo, so a deletion can select a neighbour. */
  neighboursRef: RefObject<Neighbours | null>;
  /** Shown first in the header (the namespaces button of narrow windows). */
  leading?: ReactNode;
}

/** The rows above and below the selected repo, as the list last showed them. */
export interface Neighbours {
  namespace: string;
  repoName: string;
  previous: string | null;
  next: string | null;
}

const ROW_HEIGHT = 64;
const number = new Intl.NumberFormat();

const ORDERINGS: { value: RepoOrdering; label: string }[] = [
  { value: 'name', label: 'Name (A–Z)' },
  { value: '-name', label: 'Name (Z–A)' },
  { value: '-last_updated', label: 'Last updated' },
  { value: 'last_updated', label: 'Least recently updated' },
  { value: '-pull_count', label: 'Most pulls' },
  { value: '-star_count', label: 'Most stars' },
];

type Visibility = 'all' | 'public' | 'private';

export function RepoList(props: Props) {
  if (!props.namespace) {
    return (
      <section className="repo-pane" aria-label="Repositories" data-pane="repos">
        {props.leading ? <header className="pane-header pane-header-bare">{props.leading}</header> : null}
        <div className="empty-state">
          <h2>No namespace selected</h2>
          <p>Choose a namespace on the left, or create one to hold your repositories.</p>
          <button type="button" className="button-primary" onClick={props.onCreateNamespace}>
            New namespace
          </button>
        </div>
      </section>
    );
  }
  return <RepoListBody {...props} namespace={props.namespace} />;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function RepoListBody({
  namespace,
  namespaceView,
  selected,
  onSelect,
  onCreateRepo,
  onDeleteNamespace,
  onOpen,
  onNamespaceGone,
  searchRef,
  listRef,
  neighboursRef,
  leading,
}: Props & { namespace: string }) {
  const [search, setSearch] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('all');
  const [ordering, setOrdering] = useState<RepoOrdering>('name');
  const name = useDebounced(search.trim(), 200);
  const listId = useId();

  const filter = useMemo<RepoFilter>(() => {
    const f: RepoFilter = { ordering };
    if (name) f.name = name;
    if (visibility !== 'all') f.is_public = visibility === 'public';
    return f;
  }, [ordering, name, visibility]);
  const filtered = Boolean(name) || visibility !== 'all';

  const first = useRepoPage(namespace, filter, 1);
  const total = first.data?.count ?? 0;
  const namespaceGone = first.isError && isNotFound(first.error);
  useEffect(() => {
    if (namespaceGone) onNamespaceGone(namespace);
  }, [namespaceGone, namespace, onNamespaceGone]);

  const scrollRef = listRef;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const pages = useMemo(() => {
    const set = new Set<number>();
    for (const item of items) set.add(Math.floor(item.index / PAGE_SIZE) + 1);
    set.delete(1);
    return [...set].sort((a, b) => a - b);
  }, [items]);
  const byPage = useRepoPageSet(namespace, filter, pages);
  if (first.data) byPage.set(1, first.data);

  const repoAt = (index: number): RepoView | undefined => byPage.get(Math.floor(index / PAGE_SIZE) + 1)?.results[index % PAGE_SIZE];

  // Where the selected repo sits among the rows fetched so far (-1: not among them).
  let selectedIndex = -1;
  for (const [page, data] of byPage) {
    const at = selected === null ? -1 : data.results.findIndex((r) => r.repo_name === selected);
    if (at >= 0) selectedIndex = (page - 1) * PAGE_SIZE + at;
  }
  const previousName = selectedIndex > 0 ? (repoAt(selectedIndex - 1)?.repo_name ?? null) : null;
  const nextName = selectedIndex >= 0 ? (repoAt(selectedIndex + 1)?.repo_name ?? null) : null;
  useEffect(() => {
    if (selected !== null && selectedIndex >= 0) {
      neighboursRef.current = { namespace, repoName: selected, previous: previousName, next: nextName };
    }
  }, [neighboursRef, namespace, selected, selectedIndex, previousName, nextName]);

  // Keyboard: the list is one tab stop; arrows move the selection like a mail client's list.
  const [active, setActive] = useState(0);
  // The active row follows a selection made elsewhere (a search result, a neighbour after a deletion).
  useEffect(() => {
    if (selectedIndex >= 0) setActive(selectedIndex);
  }, [selectedIndex]);
  // A jump (End, PageDown) may land on a page not fetched yet: select the row once it arrives.
  const [pending, setPending] = useState<number | null>(null);
  const pendingRepo = pending === null ? undefined : repoAt(pending);
  useEffect(() => {
    if (!pendingRepo) return;
    onSelect(pendingRepo.repo_name);
    setPending(null);
  }, [pendingRepo, onSelect]);
  const moveTo = (index: number) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    const repo = repoAt(next);
    if (repo) {
      setPending(null);
      onSelect(repo.repo_name);
    } else {
      setPending(next);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const visibleRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT));
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + visibleRows,
      PageUp: active - visibleRows,
      Home: 0,
      End: total - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter') {
      const repo = repoAt(active);
      if (repo) {
        event.preventDefault();
        onOpen(repo.repo_name);
      }
    }
  };

  // Scroll back to the top when the question changes.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    setActive(0);
  }, [filter, scrollRef]);

  const optionId = (index: number) => `${listId}-row-${index}`;
  const activeLoaded = total > 0 && items.some((i) => i.index === active);
  const count = namespaceView?.repo_count;

  return (
    <section className="repo-pane" aria-label="Repositories" data-pane="repos">
      <header className="pane-header">
        <div className="pane-title">
          {leading}
          <h1 title={namespace}>{namespace}</h1>
          <span className="muted">
            {count === undefined ? '' : `${number.format(count)} ${count === 1 ? 'repository' : 'repositories'}`}
          </span>
        </div>
        <div className="pane-actions">
          <button type="button" className="button-primary" onClick={onCreateRepo} title="New repository (Ctrl+N)">
            New repository
          </button>
          <button type="button" className="button-danger-quiet" onClick={() => onDeleteNamespace(namespace)}>
            Delete namespace…
          </button>
        </div>
      </header>
      <div className="toolbar" role="search">
        <label className="sr-only" htmlFor={`${listId}-search`}>
          Search repositories
        </label>
        <input
          id={`${listId}-search`}
          ref={searchRef}
          type="search"
          className="search-input"
          data-pane-focus={total === 0 ? true : undefined}
          placeholder="Search repositories  ( / )"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              document.getElementById(listId)?.focus();
            } else if (e.key === 'Escape' && search) {
              e.preventDefault();
              setSearch('');
            }
          }}
        />
        <label className="sr-only" htmlFor={`${listId}-visibility`}>
          Visibility
        </label>
        <select id={`${listId}-visibility`} value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)}>
          <option value="all">All</option>
          <option value="public">Public</option>
          <option value="private">Private</option>
        </select>
        <label className="sr-only" htmlFor={`${listId}-ordering`}>
          Sort by
        </label>
        <select id={`${listId}-ordering`} value={ordering} onChange={(e) => setOrdering(e.target.value as RepoOrdering)}>
          {ORDERINGS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>

      {first.isPending ? (
        <div className="list-note" role="status">
          Loading repositories…
        </div>
      ) : first.isError ? (
        <div className="list-note error-text" role="alert">
          {toErrorBody(first.error).detail}
        </div>
      ) : total === 0 ? (
        filtered ? (
          <div className="empty-state">
            <h2>No matches</h2>
            <p>
              No repository in {namespace} matches {name ? `“${name}”` : 'this filter'}.
            </p>
            <button
              type="button"
              onClick={() => {
                setSearch('');
                setVisibility('all');
              }}
            >
              Clear search and filter
            </button>
          </div>
        ) : (
          <div className="empty-state">
            <h2>No repositories yet</h2>
            <p>
              Create the first repository in {namespace} (Ctrl+N), or let a tool push one over the API with{' '}
              <code>POST /v1/repositories/{namespace}/</code>.
            </p>
            <button type="button" className="button-primary" onClick={onCreateRepo}>
              New repository
            </button>
          </div>
        )
      ) : null}

      <div
        ref={scrollRef}
        id={listId}
        className="repo-scroll"
        role="listbox"
        tabIndex={0}
        hidden={total === 0}
        data-pane-focus
        aria-label={`Repositories in ${namespace}`}
        aria-busy={first.isFetching}
        aria-activedescendant={activeLoaded ? optionId(active) : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const repo = repoAt(item.index);
            const isSelected = repo !== undefined && repo.repo_name === selected;
            return (
              <div
                key={item.key}
                id={optionId(item.index)}
                role="option"
                aria-selected={isSelected}
                aria-setsize={total}
                aria-posinset={item.index + 1}
                aria-label={repo ? repo.repo_name : 'Loading'}
                aria-describedby={repo?.description ? `${optionId(item.index)}-description` : undefined}
                className={`repo-row ${isSelected ? 'repo-row-selected' : ''} ${item.index === active ? 'repo-row-active' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
                data-repo={repo?.repo_name}
                onClick={() => {
                  setActive(item.index);
                  if (repo) onSelect(repo.repo_name);
                }}
              >
                {repo ? (
                  <RepoRow repo={repo} descriptionId={`${optionId(item.index)}-description`} />
                ) : (
                  <span className="muted">Loading…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {total > 0 ? (
        <div className="list-footer muted" aria-live="polite">
          {filtered ? `${number.format(total)} matching` : `${number.format(total)} in all`}
        </div>
      ) : null}
    </section>
  );
}

function RepoRow({ repo, descriptionId }: { repo: RepoView; descriptionId: string }) {
  return (
    <>
      <div className="repo-row-top">
        <span className="repo-row-name" title={repo.repo_name}>
          {repo.repo_name}
        </span>
        {repo.is_public ? null : <span className="badge badge-private">Private</span>}
      </div>
      <div className="repo-row-description" id={descriptionId} title={repo.description || undefined}>
        {repo.description || <span className="muted">No description</span>}
      </div>
      <div className="repo-row-meta">
        <span title="Stars">★ {number.format(repo.repo_starred_count)}</span>
        <span title="Pulls">↓ {number.format(repo.download)}</span>
        <span>
          Updated <RelativeTime iso={repo.updated_at} />
        </span>
      </div>
    </>
  );
}
