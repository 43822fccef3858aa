import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { NamespaceView } from '../../../main/contract/types';
import { toErrorBody } from '../api/berth';
import { GlobalSearch } from './GlobalSearch';

interface Props {
  namespaces: UseQueryResult<NamespaceView[]>;
  selected: string | null;
  onSelect(namespace: string): void;
  onCreate(): void;
  onOpenSettings(): void;
  onOpenRepo(namespace: string, repoName: string): void;
  /** More sections below the namespaces (the registries). */
  children?: ReactNode;
  onOpenTrash(): void;
}

const count = new Intl.NumberFormat();

export function NamespaceSidebar({ namespaces, selected, onSelect, onCreate, onOpenSettings, onOpenRepo, onOpenTrash, children }: Props) {
  return (
    <nav className="sidebar" aria-label="Namespaces">
      <div className="sidebar-brand">
        <span className="brand-mark" aria-hidden="true">
          ⚓
        </span>
        <span className="brand-name">Berth</span>
        <button type="button" className="icon-button" aria-label="Settings" title="Settings (Ctrl+,)" onClick={onOpenSettings}>
          ⚙
        </button>
      </div>
      <GlobalSearch onOpen={onOpenRepo} />
      <div className="sidebar-heading">
        <h2 id="namespaces-heading">Namespaces</h2>
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
      ) : namespaces.data.length === 0 ? (
        <p className="sidebar-note">No namespaces yet. Create one for a user or an organization, then add repositories to it.</p>
      ) : (
        <ul className="namespace-list" aria-labelledby="namespaces-heading">
          {namespaces.data.map((ns) => (
            <li key={ns.namespace}>
              <button
                type="button"
                className="namespace-item"
                aria-current={ns.namespace === selected ? 'true' : undefined}
                onClick={() => onSelect(ns.namespace)}
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
