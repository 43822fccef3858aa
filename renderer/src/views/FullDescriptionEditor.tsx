/**
 * The full description: Markdown shown sanitized, edited with a Write/Preview toggle. Ctrl+Enter
 * saves and Escape cancels from anywhere in the editor, the Preview tab included.
 */
import { useId, useState } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { FULL_DESCRIPTION_MAX, validateFullDescription } from '../../../main/contract/names';
import { Markdown } from '../components/Markdown';
import { useFieldEditor } from './useFieldEditor';

const number = new Intl.NumberFormat();

export function FullDescriptionEditor({ repo }: { repo: RepoView }) {
  const editor = useFieldEditor(repo, { field: 'full_description', label: 'full description', validate: validateFullDescription });
  const { draft, error } = editor;
  const [mode, setMode] = useState<'write' | 'preview'>('write');
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
            ref={editor.editButtonRef}
            type="button"
            className="button-small"
            onClick={() => {
              editor.start();
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
        {editor.conflictDialog}
      </section>
    );
  }

  const switchTo = (next: 'write' | 'preview') => {
    setMode(next);
    document.getElementById(`${id}-${next}-tab`)?.focus();
  };

  return (
    <section className="full-description" aria-labelledby={`${id}-heading`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          editor.save();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            editor.save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            editor.cancel();
          }
        }}
      >
        <div className="section-header">
          {heading}
          <div
            role="tablist"
            aria-label="Full description mode"
            className="tabs"
            onKeyDown={(e) => {
              if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
                e.preventDefault();
                switchTo(mode === 'write' ? 'preview' : 'write');
              }
            }}
          >
            {(['write', 'preview'] as const).map((m) => (
              <button
                key={m}
                type="button"
                role="tab"
                id={`${id}-${m}-tab`}
                aria-controls={`${id}-panel`}
                aria-selected={mode === m}
                tabIndex={mode === m ? 0 : -1}
                onClick={() => setMode(m)}
              >
                {m === 'write' ? 'Write' : 'Preview'}
              </button>
            ))}
          </div>
        </div>
        {/* Keyboard users reach the preview itself (it may be long); the keys above work there too. */}
        <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-${mode}-tab`} tabIndex={mode === 'preview' ? 0 : undefined}>
          {mode === 'write' ? (
            <>
              <label htmlFor={`${id}-text`} className="sr-only">
                Full description (Markdown)
              </label>
              <textarea
                id={`${id}-text`}
                ref={editor.inputRef}
                className="markdown-input"
                autoFocus
                rows={14}
                value={draft}
                aria-invalid={Boolean(error)}
                aria-describedby={`${id}-help`}
                onChange={(e) => editor.setDraft(e.target.value)}
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
            {error ??
              `${number.format([...draft].length)}/${number.format(FULL_DESCRIPTION_MAX)} · Markdown · Ctrl+Enter saves · Escape cancels`}
          </span>
          <span className="spacer" />
          <button type="button" onClick={editor.cancel}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={editor.busy || Boolean(validateFullDescription(draft))}>
            Save
          </button>
        </div>
      </form>
      {editor.conflictDialog}
    </section>
  );
}
