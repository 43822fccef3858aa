/**
 * The trash: repos deleted in the last 30 days, newest first, each restorable as it was or
 * deletable for good (after a confirmation in its row).
 */
import { QueryNote } from '../../components/QueryNote';
import { useState } from 'react';
import type { TrashEntryView } from '../../../../main/contract/types';
import { usePurgeTrash, useRestoreFromTrash, useTrash } from '../../api/history';
import { Dialog } from '../../components/Dialog';
import { RelativeTime } from '../../components/RelativeTime';

const nameOf = (t: TrashEntryView) => `${t.namespace}/${t.repo_name}`;

export function TrashDialog({ onClose, onRestored }: { onClose(): void; onRestored(namespace: string, repoName: string): void }) {
  const trash = useTrash();
  const restore = useRestoreFromTrash();
  const purge = usePurgeTrash();
  const [confirming, setConfirming] = useState<string | null>(null);
  const entries = trash.data?.pages.flatMap((page) => page.results) ?? [];
  const busy = restore.isPending || purge.isPending;

  return (
    <Dialog
      title="Trash"
      className="dialog-wide dialog-trash"
      onClose={onClose}
      description={
        <p>Deleted repositories are kept here for 30 days with their tags, stars, counters and history, then removed for good.</p>
      }
    >
      {!trash.isSuccess ? (
        <QueryNote query={trash} reading="Loading the trash…" />
      ) : entries.length === 0 ? (
        <p className="trash-empty">The trash is empty.</p>
      ) : (
        <table className="tags-table trash-table">
          <caption className="sr-only">Deleted repositories</caption>
          <thead>
            <tr>
              <th scope="col">Repository</th>
              <th scope="col">Deleted</th>
              <th scope="col">Removed for good</th>
              <th scope="col">Tags</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((t) => {
              const name = nameOf(t);
              const key = `${name} ${t.deleted_at}`;
              return (
                <tr key={key}>
                  <th scope="row" className="tag-name">
                    {name}
                  </th>
                  <td>
                    <RelativeTime iso={t.deleted_at} />
                  </td>
                  <td>
                    <RelativeTime iso={t.expires_at} />
                  </td>
                  <td>{t.tag_count}</td>
                  <td className="row-actions">
                    {confirming === key ? (
                      <span role="group" aria-label={`Delete ${name} for good?`} className="trash-confirm">
                        <span>Delete for good?</span>
                        <button type="button" className="button-tiny" onClick={() => setConfirming(null)}>
                          Cancel
                        </button>
                        <button
                          type="button"
                          className="button-tiny button-danger"
                          autoFocus
                          disabled={busy}
                          aria-label={`Delete ${name} for good`}
                          onClick={() =>
                            purge.mutate({ namespace: t.namespace, repoName: t.repo_name }, { onSettled: () => setConfirming(null) })
                          }
                        >
                          Delete forever
                        </button>
                      </span>
                    ) : (
                      <>
                        <button
                          type="button"
                          className="button-tiny"
                          disabled={busy}
                          aria-label={`Restore ${name}`}
                          onClick={() =>
                            restore.mutate(
                              { namespace: t.namespace, repoName: t.repo_name },
                              { onSuccess: (repo) => onRestored(repo.namespace, repo.repo_name) },
                            )
                          }
                        >
                          Restore
                        </button>
                        <button
                          type="button"
                          className="button-tiny button-danger-quiet"
                          disabled={busy}
                          aria-label={`Delete ${name} for good…`}
                          onClick={() => setConfirming(key)}
                        >
                          Delete forever…
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {trash.hasNextPage ? (
        <button type="button" className="button-small" onClick={() => void trash.fetchNextPage()}>
          Show more
        </button>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
