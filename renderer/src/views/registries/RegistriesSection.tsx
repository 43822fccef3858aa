/** The sidebar's registries: each with its status dot (the detail on hover), add, edit and remove. */
import type { RegistryView } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useRegistries } from '../../api/registries';
import { STATUS_WORDS, statusKind } from './format';
import { StatusDot } from './StatusDot';

interface Props {
  selected: string | null;
  onSelect(name: string): void;
  onAdd(): void;
  onEdit(registry: RegistryView): void;
  onRemove(registry: RegistryView): void;
}

export function RegistriesSection({ selected, onSelect, onAdd, onEdit, onRemove }: Props) {
  const registries = useRegistries();
  return (
    <section className="registries-section" aria-labelledby="registries-heading">
      <div className="sidebar-heading">
        <h2 id="registries-heading">Registries</h2>
        <button type="button" className="icon-button" aria-label="Add registry" title="Add registry" onClick={onAdd}>
          +
        </button>
      </div>
      {registries.isPending ? (
        <p className="sidebar-note" role="status">
          Loading registries…
        </p>
      ) : registries.isError ? (
        <p className="sidebar-note error-text" role="alert">
          {toErrorBody(registries.error).detail}
        </p>
      ) : registries.data.length === 0 ? (
        <p className="sidebar-note">Connect a registry (Distribution, Harbor, Docker Hub…) to browse what it holds.</p>
      ) : (
        <ul className="registry-list" aria-labelledby="registries-heading">
          {registries.data.map((registry) => (
            <li key={registry.name} className="registry-entry">
              <button
                type="button"
                className="namespace-item"
                aria-current={registry.name === selected ? 'true' : undefined}
                aria-describedby={`registry-status-${registry.name}`}
                title={`${registry.url} — ${registry.status.detail}`}
                onClick={() => onSelect(registry.name)}
              >
                <StatusDot status={registry.status} decorative />
                <span className="namespace-name">{registry.name}</span>
              </button>
              <span id={`registry-status-${registry.name}`} className="sr-only">
                {STATUS_WORDS[statusKind(registry.status)]}: {registry.status.detail}
              </span>
              <span className="registry-entry-actions">
                <button
                  type="button"
                  className="icon-button icon-small"
                  aria-label={`Edit registry ${registry.name}`}
                  title="Edit"
                  onClick={() => onEdit(registry)}
                >
                  ✎
                </button>
                <button
                  type="button"
                  className="icon-button icon-small"
                  aria-label={`Remove registry ${registry.name}`}
                  title="Remove"
                  onClick={() => onRemove(registry)}
                >
                  ×
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
