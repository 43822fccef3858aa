import { useState } from 'react';
import { useDeleteRepo } from '../api/mutations';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';

/**
 * Deleting a repo takes its tags with it (to the trash), so the user types the repo's name to
 * confirm. A failure is a toast (useDeleteRepo), shown once; the dialog stays open to try again.
 */
export function DeleteRepoDialog({
  namespace,
  repoName,
  onClose,
  onDeleting,
  onDeleted,
  onRestored,
}: {
  namespace: string;
  repoName: string;
  onClose(): void;
  /** Just before the request: the deletion event that follows is this window's own. */
  onDeleting(): void;
  onDeleted(): void;
  /** Undo on the toast brought the repo back (the dialog is long closed by then). */
  onRestored(namespace: string, repoName: string): void;
}) {
  const [typed, setTyped] = useState('');
  const remove = useDeleteRepo({ onRestored });
  const matches = typed === repoName;

  return (
    <Dialog title={`Delete ${namespace}/${repoName}?`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!matches) return;
          onDeleting();
          remove.mutate({ namespace, repoName }, { onSuccess: onDeleted });
        }}
      >
        <p className="wrap-anywhere">
          The repository and all its tags are deleted. Tools that pull <code>{`${namespace}/${repoName}`}</code> will stop finding it. It
          stays in the Trash for 30 days, where it can be restored as it was.
        </p>
        <Field label={`Type ${repoName} to confirm`}>
          {(p) => (
            <input {...p} data-autofocus value={typed} autoComplete="off" spellCheck={false} onChange={(e) => setTyped(e.target.value)} />
          )}
        </Field>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-danger" disabled={!matches || remove.isPending}>
            Delete repository
          </button>
        </div>
      </form>
    </Dialog>
  );
}
