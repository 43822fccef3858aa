/**
 * New repository. Each field is checked as the user types with the very validators the API uses
 * (main/contract/names), so the messages match; whatever the API still refuses about a field (a
 * duplicate, say) is shown under that field, anything else once as a toast. The namespace is
 * picked from the existing ones; a new one only by choosing "Create namespace".
 */
import { useState } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { DESCRIPTION_MAX, RULES, validateDescription, validateNamespace, validateRepoName } from '../../../main/contract/names';
import { inlineFieldErrors, toErrorBody } from '../api/berth';
import { useCreateRepo } from '../api/mutations';
import { useNamespaces } from '../api/queries';
import { Dialog } from '../components/Dialog';
import { Field, fieldError } from '../components/Field';
import { closestNamespace, NamespacePicker } from './NamespacePicker';

interface Props {
  namespace: string | null;
  onClose(): void;
  onCreated(repo: RepoView): void;
}

type Errors = Record<string, string[]>;

export function CreateRepoDialog({ namespace: initialNamespace, onClose, onCreated }: Props) {
  const namespaces = useNamespaces();
  const known = namespaces.data?.map((n) => n.namespace) ?? [];
  const [namespace, setNamespace] = useState(initialNamespace ?? '');
  const [creatingNamespace, setCreatingNamespace] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [isPublic, setIsPublic] = useState(true);
  const [server, setServer] = useState<Errors>({});
  const [submitted, setSubmitted] = useState(false);
  const create = useCreateRepo();

  const namespaceProblem = (): string | null => {
    if (!namespace) return 'Choose a namespace, or create one.';
    const invalid = validateNamespace(namespace);
    if (invalid || known.includes(namespace) || creatingNamespace) return invalid;
    const near = closestNamespace(namespace, known);
    return `There is no namespace ${namespace}.${near ? ` Did you mean ${near}?` : ''} Pick one from the list, or choose “Create namespace ${namespace}”.`;
  };
  const local = {
    namespace: submitted ? namespaceProblem() : namespace ? validateNamespace(namespace) : null,
    repo_name: name || submitted ? validateRepoName(name, validateNamespace(namespace) ? undefined : namespace) : null,
    description: validateDescription(description),
  };
  const error = (field: keyof typeof local) => local[field] ?? fieldError(server, field);

  return (
    <Dialog title="New repository" onClose={onClose}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          const form = e.currentTarget;
          if (namespaceProblem() || validateRepoName(name, namespace) || validateDescription(description)) {
            // The first field with a problem takes focus, its message read with it.
            requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
            return;
          }
          create.mutate(
            { namespace, input: { repo_name: name, description, is_public: isPublic } },
            {
              onSuccess: onCreated,
              // Field problems (and a taken name) go under the fields; the rest is a toast (useCreateRepo).
              onError: (err) => {
                const body = toErrorBody(err);
                setServer(
                  inlineFieldErrors(err, ['namespace', 'repo_name', 'description']) ??
                    (body.code === 'conflict' ? { repo_name: [body.detail] } : {}),
                );
              },
            },
          );
        }}
      >
        <Field label="Namespace" error={error('namespace')}>
          {(p) => (
            <NamespacePicker
              inputProps={p}
              namespaces={known}
              value={namespace}
              creating={creatingNamespace}
              // Ctrl+N with no namespace selected: the namespace is what is missing.
              autoFocus={!initialNamespace}
              onChange={(value, creating) => {
                setNamespace(value);
                setCreatingNamespace(creating);
                setServer({});
              }}
            />
          )}
        </Field>
        <Field label="Repository name" error={error('repo_name')} hint={error('repo_name') ? undefined : RULES.name}>
          {(p) => (
            <input
              {...p}
              data-autofocus={initialNamespace ? true : undefined}
              value={name}
              autoComplete="off"
              spellCheck={false}
              placeholder="e.g. web-api"
              onChange={(e) => {
                setName(e.target.value);
                setServer({});
              }}
            />
          )}
        </Field>
        <Field label="Description" error={error('description')} hint={`${[...description].length}/${DESCRIPTION_MAX}`}>
          {(p) => (
            <input
              {...p}
              value={description}
              autoComplete="off"
              onChange={(e) => {
                setDescription(e.target.value);
                setServer({});
              }}
            />
          )}
        </Field>
        <fieldset className="visibility-choice">
          <legend>Visibility</legend>
          <label>
            <input type="radio" name="visibility" checked={isPublic} onChange={() => setIsPublic(true)} /> Public — anyone who can reach the
            API may pull
          </label>
          <label>
            <input type="radio" name="visibility" checked={!isPublic} onChange={() => setIsPublic(false)} /> Private — only with the token
          </label>
        </fieldset>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={create.isPending}>
            Create repository
          </button>
        </div>
      </form>
    </Dialog>
  );
}
