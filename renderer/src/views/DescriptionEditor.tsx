/** The one-line description, edited in place: Enter saves, Escape cancels. */
import { useState } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { DESCRIPTION_MAX, validateDescription } from '../../../main/contract/names';
import { toErrorBody } from '../api/berth';
import { useUpdateRepo } from '../api/mutations';

export function DescriptionEditor({ repo }: { repo: RepoView }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const update = useUpdateRepo(repo.namespace, repo.repo_name);

  if (draft === null) {
    return (
      <div className="description-view">
        <p className={repo.description ? 'description' : 'description muted'}>{repo.description || 'No description.'}</p>
        <button type="button" className="button-small" onClick={() => setDraft(repo.description)}>
          Edit description
        </button>
      </div>
    );
  }

  const error = validateDescription(draft) ?? serverError;
  const save = () => {
    if (validateDescription(draft)) return;
    update.mutate(
      { description: draft },
      {
        onSuccess: () => setDraft(null),
        onError: (e) => setServerError(toErrorBody(e).errors?.description?.[0] ?? toErrorBody(e).detail),
      },
    );
  };

  return (
    <form
      className="description-edit"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label htmlFor="description-input" className="sr-only">
        Description
      </label>
      <input
        id="description-input"
        // Editing starts from an explicit click, so moving focus here is expected.
        autoFocus
        value={draft}
        aria-invalid={Boolean(error)}
        aria-describedby="description-help"
        onChange={(e) => {
          setDraft(e.target.value);
          setServerError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            setDraft(null);
          }
        }}
      />
      <button type="submit" className="button-primary button-small" disabled={update.isPending || Boolean(validateDescription(draft))}>
        Save
      </button>
      <button type="button" className="button-small" onClick={() => setDraft(null)}>
        Cancel
      </button>
      <div id="description-help" className={error ? 'field-error' : 'field-hint'}>
        {error ?? `${[...draft].length}/${DESCRIPTION_MAX}`}
      </div>
    </form>
  );
}
