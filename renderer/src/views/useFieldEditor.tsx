/**
 * Editing one text field of a repo (description, full description) without losing anything:
 * the draft is registered with the draft guard while it differs from what was saved, and Save
 * first reads the repo again — when another program changed the field since editing started
 * (its `updated_at` moved and the field differs), the user chooses: overwrite, or load theirs.
 * The write itself names the version it was checked against (`if_updated_at`), so a change that
 * lands between the read and the write is refused by the backend and read again, never
 * overwritten. Focus goes back to the Edit button when editing ends.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode, type RefObject } from 'react';
import type { RepoView } from '../../../main/contract/types';
import { berth, inlineFieldErrors, toErrorBody } from '../api/berth';
import { keys } from '../api/keys';
import { useUpdateRepo } from '../api/mutations';
import { Dialog } from '../components/Dialog';
import { useDraft } from '../components/DraftGuard';
import { focusWhenReady } from '../components/focus';
import { useToast } from '../components/Toasts';

type TextField = 'description' | 'full_description';

/** Saves refused because the repo moved meanwhile (for another reason than this field), before the user is asked. */
const MAX_SAVE_TRIES = 3;

interface Options {
  field: TextField;
  /** As a person would say it: "description", "full description". */
  label: string;
  validate(value: string): string | null;
}

export interface FieldEditor {
  draft: string | null;
  setDraft(value: string): void;
  error: string | null;
  busy: boolean;
  start(): void;
  cancel(): void;
  save(): void;
  editButtonRef: RefObject<HTMLButtonElement | null>;
  inputRef: RefObject<(HTMLInputElement & HTMLTextAreaElement) | null>;
  /** The "changed elsewhere" question, when there is one. */
  conflictDialog: ReactNode;
}

export function useFieldEditor(repo: RepoView, { field, label, validate }: Options): FieldEditor {
  const { namespace, repo_name: repoName } = repo;
  const client = useQueryClient();
  const toast = useToast();
  // A refused precondition (conflict) is answered here, by reading the repo again: no toast.
  const update = useUpdateRepo(namespace, repoName, { fields: [field], conflict: true });
  const [draft, setDraftState] = useState<string | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [conflict, setConflict] = useState<RepoView | null>(null);
  const base = useRef<{ updated_at: string; value: string } | null>(null);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  const dirty = draft !== null && draft !== base.current?.value;
  useDraft(`${field}:${namespace}/${repoName}`, dirty, {
    label: `the ${label} of ${namespace}/${repoName}`,
    focus: () => inputRef.current?.focus(),
    discard: () => setDraftState(null),
  });

  const finish = () => {
    setDraftState(null);
    setConflict(null);
    setServerError(null);
    void focusWhenReady(() => editButtonRef.current);
  };

  /** Another program changed the field since editing started (a change to anything else is not a conflict). */
  const changedElsewhere = (fresh: RepoView, value: string) => {
    const started = base.current;
    return started !== null && fresh.updated_at !== started.updated_at && fresh[field] !== started.value && fresh[field] !== value;
  };

  /** Writes onto exactly the version `onto` (its updated_at); a refusal because it moved reads the repo again. */
  const write = (value: string, onto: string, tries = 0) =>
    update.mutate(
      { patch: { [field]: value }, options: { if_updated_at: onto } },
      {
        onSuccess: finish,
        onError: (error) => {
          setConflict(null);
          if (toErrorBody(error).code === 'conflict') return void check(value, tries + 1);
          const inline = inlineFieldErrors(error, [field]);
          if (inline) setServerError(inline[field]?.[0] ?? toErrorBody(error).detail);
        },
      },
    );

  /**
   * Reads the repo, then saves onto what was read unless the field was changed elsewhere. A repo
   * that keeps moving under the save (a tool pushing tags) is put to the user after a few tries.
   */
  const check = async (value: string, tries = 0) => {
    setChecking(true);
    let fresh: RepoView;
    try {
      fresh = await client.fetchQuery({
        queryKey: keys.repo(namespace, repoName),
        queryFn: () => berth().getRepo(namespace, repoName),
        staleTime: 0,
      });
    } catch (error) {
      toast.error(error);
      return;
    } finally {
      setChecking(false);
    }
    if (changedElsewhere(fresh, value) || tries >= MAX_SAVE_TRIES) setConflict(fresh);
    else write(value, fresh.updated_at, tries);
  };

  const save = () => {
    if (draft === null || validate(draft) || checking || update.isPending) return;
    void check(draft);
  };

  const conflictDialog = conflict ? (
    <Dialog title={`The ${label} was changed elsewhere`} onClose={() => setConflict(null)} className="dialog-wide">
      <p>
        Another program changed the {label} of {namespace}/{repoName} after you started editing. Their version:
      </p>
      <pre className="conflict-theirs">{conflict[field] || '(empty)'}</pre>
      <div className="dialog-actions">
        <button type="button" data-autofocus onClick={() => setConflict(null)}>
          Keep editing
        </button>
        <button type="button" onClick={finish}>
          Load theirs
        </button>
        <button
          type="button"
          className="button-primary"
          disabled={update.isPending}
          onClick={() => draft !== null && write(draft, conflict.updated_at)}
        >
          Overwrite with mine
        </button>
      </div>
    </Dialog>
  ) : null;

  return {
    draft,
    setDraft: (value) => {
      setDraftState(value);
      setServerError(null);
    },
    error: draft === null ? null : (validate(draft) ?? serverError),
    busy: checking || update.isPending,
    start: () => {
      base.current = { updated_at: repo.updated_at, value: repo[field] };
      setServerError(null);
      setDraftState(repo[field]);
    },
    cancel: finish,
    save,
    editButtonRef,
    inputRef,
    conflictDialog,
  };
}
