/** A labelled control with its validation message wired up for assistive tech. */
import { useId, type ReactElement, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  error?: string | null;
  hint?: ReactNode;
  /** Announce the error when it appears (one that follows an action, not each keystroke). */
  announceError?: boolean;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactElement;
}

export function Field({ label, error, hint, announceError = false, children }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={errorId} className="field-error" role={announceError ? 'alert' : undefined}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** The first server message for a field, if the API reported one. */
export function fieldError(errors: Record<string, string[]> | undefined, field: string): string | null {
  return errors?.[field]?.[0] ?? null;
}
