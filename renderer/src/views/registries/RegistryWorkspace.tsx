/** A connected registry in the workspace: its catalogue on the left, a repository's tags and a manifest on the right. */
import { useState, type ReactNode } from 'react';
import type { RegistryView } from '../../../../main/contract/types';
import { DeleteRegistryTagDialog } from './DeleteRegistryTagDialog';
import { ManifestPanel } from './ManifestPanel';
import { RegistryTags } from './RegistryTags';
import { RepositoryPane } from './RepositoryPane';

interface Props {
  registry: RegistryView;
  onEdit(): void;
  onRemove(): void;
  /** Shown before the catalogue's title (the narrow window's drawer button). */
  leading?: ReactNode;
}

export function RegistryWorkspace({ registry, onEdit, onRemove, leading }: Props) {
  const [repository, setRepository] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const select = (next: string) => {
    setRepository(next);
    setTag(null);
  };

  return (
    <>
      <RepositoryPane registry={registry} selected={repository} onSelect={select} onEdit={onEdit} onRemove={onRemove} leading={leading} />
      {repository ? (
        <section className="detail registry-detail" aria-label="Repository in the registry" data-pane="detail">
          <header className="registry-detail-header">
            <h2 title={repository}>{repository}</h2>
            <span className="muted">in {registry.name}</span>
          </header>
          <div className={`registry-detail-body ${tag ? 'with-manifest' : ''}`}>
            <RegistryTags
              key={repository}
              registry={registry.name}
              repository={repository}
              selected={tag}
              onOpen={setTag}
              onDelete={setDeleting}
            />
            {tag ? (
              <ManifestPanel
                key={`${repository}:${tag}`}
                registry={registry.name}
                repository={repository}
                tag={tag}
                onClose={() => setTag(null)}
              />
            ) : null}
          </div>
        </section>
      ) : (
        <section className="detail detail-empty" aria-label="Repository in the registry" data-pane="detail">
          <p>Select a repository to see its tags.</p>
        </section>
      )}
      {deleting && repository ? (
        <DeleteRegistryTagDialog
          registry={registry.name}
          repository={repository}
          tag={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={(tags) => {
            setDeleting(null);
            if (tag && tags.includes(tag)) setTag(null);
          }}
        />
      ) : null}
    </>
  );
}
