/** The full description: Markdown shown sanitized, edited with a Write/Preview toggle. */
import { useId, useState } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { FULL_DESCRIPTION_MAX, validateFullDescription } from '../../../main/contract/names';
import { toErrorBody } from '../api/berth';
import { useUpdateRepo } from '../api/mutations';
import { Markdown } from '../components/Markdown';

const number = new Intl.NumberFormat();

export function FullDescriptionEditor({ repo }: { repo: RepoView }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [serverError, setServerError] = useState<string | null>(null);
  const update = useUpdateRepo(repo.namespace, repo.repo_name);
  const id = useId();

  const heading = (
    <h3 id={`${id}-heading`} className="section-title">
      Full description
    </h3>
  );

  if (draft === null) {
    return (
      <section className="full-description" aria-labelledby={`${id}-heading`}>
        <div className="section-header">
          {heading}
          <button
            type="button"
            className="button-small"
            onClick={() => {
              setDraft(repo.full_description);
              setMode('write');
            }}
          >
            Edit full description
          </button>
        </div>
        {repo.full_description ? (
          <Markdown text={repo.full_description} />
        ) : (
          <p className="muted">No full description yet. Describe how to use this image — Markdown is supported.</p>
        )}
      </section>
    );
  }

  const error = validateFullDescription(draft) ?? serverError;
  const save = () => {
    if (validateFullDescription(draft)) return;
    update.mutate(
      { full_description: draft },
      {
        onSuccess: () => setDraft(null),
        onError: (e) => setServerError(toErrorBody(e).errors?.full_description?.[0] ?? toErrorBody(e).detail),
      },
    );
  };

  return (
    <section className="full-description" aria-labelledby={`${id}-heading`}>
      <div className="section-header">
        {heading}
        <div role="tablist" aria-label="Full description mode" className="tabs">
          <button
            type="button"
            role="tab"
            id={`${id}-write-tab`}
            aria-controls={`${id}-panel`}
            aria-selected={mode === 'write'}
            onClick={() => setMode('write')}
          >
            Write
          </button>
          <button
            type="button"
            role="tab"
            id={`${id}-preview-tab`}
            aria-controls={`${id}-panel`}
            aria-selected={mode === 'preview'}
            onClick={() => setMode('preview')}
          >
            Preview
          </button>
        </div>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-${mode}-tab`}>
          {mode === 'write' ? (
            <>
              <label htmlFor={`${id}-text`} className="sr-only">
                Full description (Markdown)
              </label>
              <textarea
                id={`${id}-text`}
                className="markdown-input"
                autoFocus
                rows={14}
                value={draft}
                aria-invalid={Boolean(error)}
                aria-describedby={`${id}-help`}
                onChange={(e) => {
                  setDraft(e.target.value);
                  setServerError(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                    e.preventDefault();
                    save();
                  } else if (e.key === 'Escape') {
                    e.preventDefault();
                    setDraft(null);
                  }
                }}
              />
            </>
          ) : draft ? (
            <div className="markdown-preview">
              <Markdown text={draft} />
            </div>
          ) : (
            <p className="muted">Nothing to preview yet.</p>
          )}
        </div>
        <div className="form-footer">
          <span id={`${id}-help`} className={error ? 'field-error' : 'field-hint'}>
            {error ?? `${number.format([...draft].length)}/${number.format(FULL_DESCRIPTION_MAX)} · Markdown · Ctrl+Enter saves`}
          </span>
          <span className="spacer" />
          <button type="button" onClick={() => setDraft(null)}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={update.isPending || Boolean(validateFullDescription(draft))}>
            Save
          </button>
        </div>
      </form>
    </section>
  );
}
