/** The one-line description, edited in place: Enter saves, Escape cancels. */
import type { RepoView } from '../../../main/contract/types';
import { DESCRIPTION_MAX, validateDescription } from '../../../main/contract/names';
import { useFieldEditor } from './useFieldEditor';

export function DescriptionEditor({ repo }: { repo: RepoView }) {
  const editor = useFieldEditor(repo, { field: 'description', label: 'description', validate: validateDescription });
  const { draft, error } = editor;

  if (draft === null) {
    return (
      <div className="description-view">
        <p className={repo.description ? 'description' : 'description muted'}>{repo.description || 'No description.'}</p>
        <button ref={editor.editButtonRef} type="button" className="button-small" onClick={editor.start}>
          Edit description
        </button>
        {editor.conflictDialog}
      </div>
    );
  }

  return (
    <form
      className="description-edit"
      onSubmit={(e) => {
        e.preventDefault();
        editor.save();
      }}
    >
      <label htmlFor="description-input" className="sr-only">
        Description
      </label>
      <input
        id="description-input"
        ref={editor.inputRef}
        // Editing starts from an explicit click, so moving focus here is expected.
        autoFocus
        value={draft}
        aria-invalid={Boolean(error)}
        aria-describedby="description-help"
        onChange={(e) => editor.setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            editor.cancel();
          }
        }}
      />
      <button type="submit" className="button-primary button-small" disabled={editor.busy || Boolean(validateDescription(draft))}>
        Save
      </button>
      <button type="button" className="button-small" onClick={editor.cancel}>
        Cancel
      </button>
      <div id="description-help" className={error ? 'field-error' : 'field-hint'}>
        {error ?? `${[...draft].length}/${DESCRIPTION_MAX}`}
      </div>
      {editor.conflictDialog}
    </form>
  );
}
