/**
 * New repository. Each field is checked as the user types with the very validators the API uses
 * (main/registry/names), so the messages match; whatever the API still refuses (a duplicate, say)
 * is shown under the field it names.
 */
import { useState } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { DESCRIPTION_MAX, validateDescription, validateNamespace, validateRepoName } from '../../../main/contract/names';
import { toErrorBody } from '../api/berth';
import { useCreateRepo } from '../api/mutations';
import { Dialog } from '../components/Dialog';
import { Field, fieldError } from '../components/Field';

interface Props {
  namespace: string | null;
  onClose(): void;
  onCreated(repo: RepoView): void;
}

type Errors = Record<string, string[]>;

export function CreateRepoDialog({ namespace: initialNamespace, onClose, onCreated }: Props) {
  const [namespace, setNamespace] = useState(initialNamespace ?? '');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [isPublic, setIsPublic] = useState(true);
  const [server, setServer] = useState<{ errors?: Errors; detail?: string }>({});
  const [submitted, setSubmitted] = useState(false);
  const create = useCreateRepo();

  const local = {
    namespace: namespace || submitted ? validateNamespace(namespace) : null,
    repo_name: name || submitted ? validateRepoName(name, validateNamespace(namespace) ? undefined : namespace) : null,
    description: validateDescription(description),
  };
  const error = (field: keyof typeof local) => local[field] ?? fieldError(server.errors, field);
  const clearServer = () => setServer({});

  return (
    <Dialog title="New repository" onClose={onClose}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (validateNamespace(namespace) || validateRepoName(name, namespace) || validateDescription(description)) return;
          create.mutate(
            { namespace, input: { repo_name: name, description, is_public: isPublic } },
            {
              onSuccess: onCreated,
              onError: (err) => {
                const body = toErrorBody(err);
                setServer(
                  body.errors
                    ? { errors: body.errors }
                    : body.code === 'conflict'
                      ? { errors: { repo_name: [body.detail] } }
                      : { detail: body.detail },
                );
              },
            },
          );
        }}
      >
        <Field label="Namespace" error={error('namespace')}>
          {(p) => (
            <input
              {...p}
              value={namespace}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => {
                setNamespace(e.target.value);
                clearServer();
              }}
            />
          )}
        </Field>
        <Field
          label="Repository name"
          error={error('repo_name')}
          hint={error('repo_name') ? undefined : 'Lowercase letters, digits, and . _ - between them.'}
        >
          {(p) => (
            <input
              {...p}
              data-autofocus
              value={name}
              autoComplete="off"
              spellCheck={false}
              placeholder="e.g. web-api"
              onChange={(e) => {
                setName(e.target.value);
                clearServer();
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
                clearServer();
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
        {server.detail ? (
          <p className="field-error" role="alert">
            {server.detail}
          </p>
        ) : null}
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
