import { useState } from 'react';
import { toErrorBody } from '../api/berth';
import { useDeleteRepo } from '../api/mutations';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';

/** Deleting a repo takes its tags with it (to the trash), so the user types the repo's name to confirm. */
export function DeleteRepoDialog({
  namespace,
  repoName,
  onClose,
  onDeleted,
}: {
  namespace: string;
  repoName: string;
  onClose(): void;
  onDeleted(): void;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const remove = useDeleteRepo();
  const matches = typed === repoName;

  return (
    <Dialog title={`Delete ${namespace}/${repoName}?`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!matches) return;
          remove.mutate({ namespace, repoName }, { onSuccess: onDeleted, onError: (err) => setError(toErrorBody(err).detail) });
        }}
      >
        <p>
          The repository and all its tags are deleted. Tools that pull <code>{`${namespace}/${repoName}`}</code> will stop finding it. It
          stays in the Trash for 30 days, where it can be restored as it was.
        </p>
        <Field label={`Type ${repoName} to confirm`}>
          {(p) => (
            <input {...p} data-autofocus value={typed} autoComplete="off" spellCheck={false} onChange={(e) => setTyped(e.target.value)} />
          )}
        </Field>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
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
