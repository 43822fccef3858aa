/**
 * A registry's catalogue: its status and actions, a filter, and a virtual list of its
 * repositories that reads further pages as it scrolls (all of them while a filter is typed).
 * Docker Hub has no catalogue: there the user names the namespace to list.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { RegistryView } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useCheckRegistry, useErrorToast, useRegistryRepositories } from '../../api/registries';
import { RegistrySyncActions } from '../sync/RegistrySyncActions';
import { StatusDot } from './StatusDot';

interface Props {
  registry: RegistryView;
  selected: string | null;
  onSelect(repository: string): void;
  onEdit(): void;
  onRemove(): void;
  /** Shown before the title (the narrow window's drawer button). */
  leading?: ReactNode;
}

const ROW_HEIGHT = 36;
const number = new Intl.NumberFormat();

export function RepositoryPane({ registry, selected, onSelect, onEdit, onRemove, leading }: Props) {
  const hub = registry.kind === 'dockerhub';
  const [namespaceInput, setNamespaceInput] = useState(hub ? (registry.username ?? 'library') : '');
  const [namespace, setNamespace] = useState(namespaceInput);
  const [filter, setFilter] = useState('');
  const listId = useId();
  const check = useCheckRegistry(registry.name);
  const repositories = useRegistryRepositories(registry.name, namespace, !hub || namespace !== '');
  useErrorToast(repositories.error);

  const all = useMemo(() => repositories.data?.pages.flatMap((p) => p.results) ?? [], [repositories.data]);
  const needle = filter.trim().toLowerCase();
  const shown = useMemo(() => (needle ? all.filter((name) => name.toLowerCase().includes(needle)) : all), [all, needle]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? (items[items.length - 1]?.index ?? 0) : 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = repositories;
  // The next page is read when the list nears its end, and every page while a filter is typed.
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && (needle !== '' || lastIndex >= shown.length - 20)) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, needle, lastIndex, shown.length]);

  const [active, setActive] = useState(0);
  useEffect(() => setActive(0), [needle, namespace]);
  const moveTo = (index: number) => {
    if (shown.length === 0) return;
    const next = Math.max(0, Math.min(shown.length - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    const name = shown[next];
    if (name) onSelect(name);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT));
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: shown.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    }
  };
  const optionId = (index: number) => `${listId}-row-${index}`;

  return (
    <section className="repo-pane" aria-label={`Registry ${registry.name}`} data-pane="repos">
      <header className="pane-header">
        <div className="pane-title">
          {leading}
          <h1 title={registry.name}>{registry.name}</h1>
          <span className="muted registry-url" title={registry.url}>
            {registry.url}
          </span>
        </div>
        <p className="registry-status">
          <StatusDot status={registry.status} />
          <span>{registry.status.detail}</span>
        </p>
        <div className="pane-actions">
          <RegistrySyncActions registry={registry} />
          <button type="button" onClick={() => check.mutate()} disabled={check.isPending}>
            {check.isPending ? 'Checking…' : 'Check now'}
          </button>
          <button type="button" onClick={onEdit}>
            Edit…
          </button>
          <button type="button" className="button-danger-quiet" onClick={onRemove}>
            Remove…
          </button>
        </div>
      </header>
      {hub ? (
        <form
          className="toolbar toolbar-single"
          onSubmit={(e) => {
            e.preventDefault();
            setNamespace(namespaceInput.trim());
          }}
        >
          <label className="sr-only" htmlFor={`${listId}-namespace`}>
            Docker Hub namespace
          </label>
          <input
            id={`${listId}-namespace`}
            value={namespaceInput}
            placeholder="Docker Hub namespace, e.g. library"
            spellCheck={false}
            onChange={(e) => setNamespaceInput(e.target.value)}
          />
          <button type="submit">List</button>
        </form>
      ) : null}
      <div className="toolbar toolbar-single" role="search">
        <label className="sr-only" htmlFor={`${listId}-filter`}>
          Filter repositories
        </label>
        <input
          id={`${listId}-filter`}
          type="search"
          className="search-input"
          placeholder="Filter repositories"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              document.getElementById(listId)?.focus();
            }
          }}
        />
      </div>

      {hub && namespace === '' ? (
        <div className="list-note">Docker Hub has no catalogue: name a namespace (such as library) to list its repositories.</div>
      ) : repositories.isPending ? (
        <div className="list-note" role="status">
          Reading the catalogue…
        </div>
      ) : repositories.isError ? (
        <div className="list-note error-text" role="alert">
          {toErrorBody(repositories.error).detail}
        </div>
      ) : shown.length === 0 ? (
        <div className="empty-state">
          <h2>{needle ? 'No matches' : 'No repositories'}</h2>
          <p>
            {needle
              ? `No repository matches “${filter.trim()}”${hasNextPage ? ' yet' : ''}.`
              : 'The registry holds no repositories (or this account may not list them).'}
          </p>
        </div>
      ) : null}

      <div
        ref={scrollRef}
        id={listId}
        className="repo-scroll"
        role="listbox"
        tabIndex={0}
        hidden={shown.length === 0}
        aria-label={`Repositories in ${registry.name}`}
        aria-busy={repositories.isFetching}
        aria-activedescendant={shown.length > 0 && items.some((i) => i.index === active) ? optionId(active) : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const name = shown[item.index] ?? '';
            const isSelected = name === selected;
            return (
              <div
                key={item.key}
                id={optionId(item.index)}
                role="option"
                aria-selected={isSelected}
                aria-setsize={shown.length}
                aria-posinset={item.index + 1}
                className={`repo-row registry-repo-row ${isSelected ? 'repo-row-selected' : ''} ${item.index === active ? 'repo-row-active' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  setActive(item.index);
                  onSelect(name);
                }}
              >
                <span className="repo-row-name">{name}</span>
              </div>
            );
          })}
        </div>
      </div>
      {all.length > 0 ? (
        <div className="list-footer muted" aria-live="polite">
          {needle ? `${number.format(shown.length)} of ${number.format(all.length)}` : `${number.format(all.length)}`} repositories
          {hasNextPage ? ' (reading more…)' : ''}
        </div>
      ) : null}
    </section>
  );
}
