import { useState } from 'react';
import { validateNamespace } from '../../../main/contract/names';
import { inlineFieldErrors, toErrorBody } from '../api/berth';
import { useCreateNamespace, useDeleteNamespace } from '../api/mutations';
import { Dialog } from '../components/Dialog';
import { Field, fieldError } from '../components/Field';

export function CreateNamespaceDialog({ onClose, onCreated }: { onClose(): void; onCreated(namespace: string): void }) {
  const [name, setName] = useState('');
  const [serverError, setServerError] = useState<string | null>(null);
  const create = useCreateNamespace();
  const localError = name ? validateNamespace(name) : null;
  const error = localError ?? serverError;

  return (
    <Dialog title="New namespace" onClose={onClose} description="A namespace is a user or an organization that owns repositories.">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const problem = validateNamespace(name);
          if (problem) return setServerError(problem);
          create.mutate(name, {
            onSuccess: (ns) => onCreated(ns.namespace),
            // A bad or taken name goes under the field; anything else is a toast (useCreateNamespace).
            onError: (err) =>
              setServerError(
                fieldError(inlineFieldErrors(err, ['namespace']) ?? undefined, 'namespace') ??
                  (toErrorBody(err).code === 'conflict' ? toErrorBody(err).detail : null),
              ),
          });
        }}
      >
        <Field label="Name" error={error}>
          {(p) => (
            <input
              {...p}
              data-autofocus
              value={name}
              autoComplete="off"
              spellCheck={false}
              placeholder="e.g. acme"
              onChange={(e) => {
                setName(e.target.value);
                setServerError(null);
              }}
            />
          )}
        </Field>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={create.isPending}>
            Create namespace
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * An empty namespace goes with one click; one that still holds repos says so and offers to delete
 * it together with everything in it, which asks for the name to be typed first.
 */
export function DeleteNamespaceDialog({
  namespace,
  repoCount,
  onClose,
  onDeleting,
  onDeleted,
}: {
  namespace: string;
  repoCount: number;
  onClose(): void;
  /** Just before the request: the deletion event that follows is this window's own. */
  onDeleting(): void;
  onDeleted(): void;
}) {
  const [typed, setTyped] = useState('');
  const remove = useDeleteNamespace();
  const force = repoCount > 0;
  // A failure is a toast (useDeleteNamespace); the dialog stays open to try again.
  const submit = () => {
    onDeleting();
    remove.mutate({ namespace, force }, { onSuccess: onDeleted });
  };

  return (
    <Dialog title={`Delete namespace ${namespace}?`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!force || typed === namespace) submit();
        }}
      >
        {force ? (
          <>
            <p>
              <strong>{namespace}</strong> still holds {repoCount} {repoCount === 1 ? 'repository' : 'repositories'}, so it cannot be
              deleted on its own. You can delete it together with all its repositories and their tags; the repositories stay in the Trash
              for 30 days, where each can be restored.
            </p>
            <Field label={`Type ${namespace} to confirm`}>
              {(p) => (
                <input
                  {...p}
                  data-autofocus
                  value={typed}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => setTyped(e.target.value)}
                />
              )}
            </Field>
          </>
        ) : (
          <p>The namespace {namespace} is empty. Deleting it cannot be undone.</p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} data-autofocus={force ? undefined : true}>
            Cancel
          </button>
          <button type="submit" className="button-danger" disabled={remove.isPending || (force && typed !== namespace)}>
            {force ? 'Delete with all repositories' : 'Delete namespace'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
