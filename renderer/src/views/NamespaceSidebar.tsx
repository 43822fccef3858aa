/**
 * The sidebar: search across namespaces, the namespaces with their repo counts, the sections given
 * as children (the registries) and the Trash. The namespace list is one tab stop (roving
 * tabindex): ↑/↓/Home/End move between namespaces, Enter or Space opens one. On a narrow window
 * all of it is the drawer.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { NamespaceView } from '../../../main/contract/types';
import { toErrorBody } from '../api/berth';
import { GlobalSearch } from './GlobalSearch';

interface Props {
  id: string;
  namespaces: UseQueryResult<NamespaceView[]>;
  selected: string | null;
  onSelect(namespace: string): void;
  onCreate(): void;
  onOpenSettings(): void;
  onOpenRepo(namespace: string, repoName: string): void;
  /** Narrow windows: the sidebar is a drawer over the window. */
  drawer: boolean;
  hidden: boolean;
  /** `refocus`: give focus back to the button that opened the drawer. */
  onCloseDrawer(refocus: boolean): void;
  /** More sections below the namespaces (the registries). */
  children?: ReactNode;
  onOpenTrash(): void;
}

const count = new Intl.NumberFormat();

export function NamespaceSidebar({
  id,
  namespaces,
  selected,
  onSelect,
  onCreate,
  onOpenSettings,
  onOpenRepo,
  drawer,
  hidden,
  onCloseDrawer,
  onOpenTrash,
  children,
}: Props) {
  const names = namespaces.data ?? [];
  const selectedIndex = names.findIndex((n) => n.namespace === selected);
  const [focusIndex, setFocusIndex] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  // The tab stop follows the selection (a click, a search result, a deletion elsewhere).
  useEffect(() => {
    if (selectedIndex >= 0) setFocusIndex(selectedIndex);
  }, [selectedIndex]);
  const rovingIndex = Math.min(focusIndex, Math.max(0, names.length - 1));

  const moveFocus = (index: number) => {
    const next = Math.max(0, Math.min(names.length - 1, index));
    setFocusIndex(next);
    listRef.current?.querySelectorAll<HTMLButtonElement>('.namespace-item')[next]?.focus();
  };
  const onListKeyDown = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: rovingIndex + 1, ArrowUp: rovingIndex - 1, Home: 0, End: names.length - 1 };
    const target = moves[event.key];
    if (target === undefined || names.length === 0) return;
    event.preventDefault();
    moveFocus(target);
  };

  return (
    <nav
      id={id}
      className={`sidebar ${drawer ? 'sidebar-drawer' : ''}`}
      aria-label="Namespaces"
      data-pane="sidebar"
      hidden={hidden}
      onKeyDown={(event) => {
        if (drawer && event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onCloseDrawer(true);
        }
      }}
      onBlur={(event) => {
        // Tabbing out of the drawer folds it away rather than leaving it over what now has focus.
        const next = event.relatedTarget;
        if (drawer && !hidden && next instanceof Element && !event.currentTarget.contains(next) && !next.closest('dialog'))
          onCloseDrawer(false);
      }}
    >
      <div className="sidebar-brand">
        <span className="brand-mark" aria-hidden="true">
          ⚓
        </span>
        <span className="brand-name">Berth</span>
        <button type="button" className="icon-button" aria-label="Settings" title="Settings (Ctrl+,)" onClick={onOpenSettings}>
          ⚙
        </button>
        {drawer ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Hide namespaces"
            title="Hide namespaces (Escape)"
            onClick={() => onCloseDrawer(true)}
          >
            ×
          </button>
        ) : null}
      </div>
      <GlobalSearch onOpen={onOpenRepo} />
      <div className="sidebar-heading">
        <h2 id={`${id}-heading`}>Namespaces</h2>
        <button type="button" className="icon-button" aria-label="New namespace" title="New namespace" onClick={onCreate}>
          +
        </button>
      </div>
      {namespaces.isPending ? (
        <p className="sidebar-note" role="status">
          Loading namespaces…
        </p>
      ) : namespaces.isError ? (
        <p className="sidebar-note error-text" role="alert">
          {toErrorBody(namespaces.error).detail}
        </p>
      ) : names.length === 0 ? (
        <p className="sidebar-note">No namespaces yet. Create one for a user or an organization, then add repositories to it.</p>
      ) : (
        <ul ref={listRef} className="namespace-list" aria-labelledby={`${id}-heading`} onKeyDown={onListKeyDown}>
          {names.map((ns, index) => (
            <li key={ns.namespace}>
              <button
                type="button"
                className="namespace-item"
                aria-current={ns.namespace === selected ? 'true' : undefined}
                tabIndex={index === rovingIndex ? 0 : -1}
                data-pane-focus={index === rovingIndex ? true : undefined}
                data-namespace={ns.namespace}
                onClick={() => {
                  setFocusIndex(index);
                  onSelect(ns.namespace);
                }}
                onFocus={() => setFocusIndex(index)}
                title={ns.namespace}
              >
                <span className="namespace-name">{ns.namespace}</span>
                <span className="count-badge">
                  {count.format(ns.repo_count)}
                  <span className="sr-only">{ns.repo_count === 1 ? ' repository' : ' repositories'}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {children}
      <div className="sidebar-footer">
        <button type="button" className="sidebar-link" onClick={onOpenTrash} title="Deleted repositories, kept 30 days">
          Trash
        </button>
      </div>
    </nav>
  );
}
