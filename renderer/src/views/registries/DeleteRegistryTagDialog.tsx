/**
 * Registries delete manifests, not tags: deleting a tag deletes every tag pointing at the same
 * manifest. The confirmation names them all (asked of the registry first), and the delete is by
 * that digest, so what goes is exactly what was shown.
 */
import { toErrorBody } from '../../api/berth';
import { useDeleteRegistryManifest, useRegistryDigestTags } from '../../api/registries';
import { Dialog } from '../../components/Dialog';

interface Props {
  registry: string;
  repository: string;
  tag: string;
  onClose(): void;
  onDeleted(tags: string[]): void;
}

export function DeleteRegistryTagDialog({ registry, repository, tag, onClose, onDeleted }: Props) {
  const shared = useRegistryDigestTags(registry, repository, tag);
  const remove = useDeleteRegistryManifest(registry, repository);
  const tags = shared.data?.tags ?? [];
  const others = tags.filter((t) => t !== tag);
  return (
    <Dialog title={`Delete tag ${tag}?`} onClose={onClose}>
      {shared.isPending ? (
        <p role="status">Asking the registry which tags share this image…</p>
      ) : shared.isError ? (
        <p className="field-error" role="alert">
          {toErrorBody(shared.error).detail}
        </p>
      ) : (
        <>
          <p className="wrap-anywhere">
            The registry deletes the manifest <code>{shared.data.digest}</code> from <strong>{repository}</strong>, and with it every tag
            pointing at it.
          </p>
          {others.length > 0 ? (
            <>
              <p>These {tags.length} tags point at it, and all of them will be deleted:</p>
              <ul className="shared-tags" aria-label="Tags that will be deleted">
                {tags.map((t) => (
                  <li key={t}>
                    <code>{t}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>No other tag points at it.</p>
          )}
          <p>This cannot be undone.</p>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="button-danger"
          disabled={!shared.data || remove.isPending}
          onClick={() => {
            if (!shared.data) return;
            remove.mutate({ digest: shared.data.digest, tags }, { onSuccess: () => onDeleted(tags) });
          }}
        >
          {tags.length > 1 ? `Delete ${tags.length} tags` : 'Delete tag'}
        </button>
      </div>
    </Dialog>
  );
}
