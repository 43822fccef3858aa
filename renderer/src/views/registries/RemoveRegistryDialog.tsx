/** Removing a connection forgets it and its saved password; the registry and its images stay as they are. */
import { useState } from 'react';
import type { RegistryView } from '../../../../main/contract/types';
import { toErrorBody } from '../../api/berth';
import { useDeleteRegistry } from '../../api/registries';
import { Dialog } from '../../components/Dialog';

export function RemoveRegistryDialog({ registry, onClose, onRemoved }: { registry: RegistryView; onClose(): void; onRemoved(): void }) {
  const remove = useDeleteRegistry();
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`Remove registry ${registry.name}?`} onClose={onClose}>
      <p>
        Berth forgets the connection to <strong>{registry.url}</strong>
        {registry.has_password ? ' and its saved password' : ''}. Nothing in the registry is touched: its repositories and tags stay as they
        are.
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button-danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(registry.name, { onSuccess: onRemoved, onError: (err) => setError(toErrorBody(err).detail) })}
        >
          Remove registry
        </button>
      </div>
    </Dialog>
  );
}
