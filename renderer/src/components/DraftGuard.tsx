/**
 * Unsaved edits are never dropped silently. Editors register a draft while it differs from what
 * is saved (useDraft); anything that would unmount them — choosing another repo or namespace —
 * goes through guard(), which asks first; closing or reloading the window asks through the
 * page's beforeunload (the Electron glue turns that into a native Leave/Stay question).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';

interface DraftEntry {
  /** What is being edited, e.g. "the full description of acme/web". */
  label: string;
  /** Puts the cursor back into the editor (after "Keep editing"). */
  focus(): void;
  /** Drops the draft (after "Discard changes"). */
  discard(): void;
}

interface DraftApi {
  set(id: string, entry: DraftEntry | null): void;
  /** Runs `action` at once when nothing is being edited, else after the user agrees to discard. */
  guard(action: () => void): void;
}

const DraftContext = createContext<DraftApi | null>(null);

export function DraftGuardProvider({ children }: { children: ReactNode }) {
  const drafts = useRef(new Map<string, DraftEntry>());
  const [pending, setPending] = useState<{ action: () => void; labels: string[] } | null>(null);

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (drafts.current.size === 0) return;
      event.preventDefault();
      // Older engines (and Electron's will-prevent-unload) look at returnValue.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  const api = useMemo<DraftApi>(
    () => ({
      set: (id, entry) => {
        if (entry) drafts.current.set(id, entry);
        else drafts.current.delete(id);
      },
      guard: (action) => {
        if (drafts.current.size === 0) action();
        else setPending({ action, labels: [...drafts.current.values()].map((d) => d.label) });
      },
    }),
    [],
  );

  const keepEditing = () => {
    setPending(null);
    const first = drafts.current.values().next().value;
    // After the dialog has given focus back, put it into the editor.
    if (first) requestAnimationFrame(() => first.focus());
  };
  const discard = () => {
    const action = pending?.action;
    for (const draft of [...drafts.current.values()]) draft.discard();
    drafts.current.clear();
    setPending(null);
    action?.();
  };

  return (
    <DraftContext.Provider value={api}>
      {children}
      {pending ? (
        <Dialog title="Discard unsaved changes?" onClose={keepEditing}>
          <p>Your changes to {pending.labels.join(' and ')} have not been saved. They are lost if you go on.</p>
          <div className="dialog-actions">
            <button type="button" data-autofocus onClick={keepEditing}>
              Keep editing
            </button>
            <button type="button" className="button-danger" onClick={discard}>
              Discard changes
            </button>
          </div>
        </Dialog>
      ) : null}
    </DraftContext.Provider>
  );
}

function useDraftApi(): DraftApi {
  const api = useContext(DraftContext);
  if (!api) throw new Error('useDraft outside DraftGuardProvider');
  return api;
}

/** The guard: `guard(() => selectRepo(x))`. */
export function useDraftGuard(): DraftApi['guard'] {
  return useDraftApi().guard;
}

/** Registers an editor's draft for as long as it is dirty. */
export function useDraft(id: string, dirty: boolean, entry: DraftEntry): void {
  const api = useDraftApi();
  const latest = useRef(entry);
  useEffect(() => {
    latest.current = entry;
  });
  const focus = useCallback(() => latest.current.focus(), []);
  const discard = useCallback(() => latest.current.discard(), []);
  const label = entry.label;
  useEffect(() => {
    if (!dirty) return;
    api.set(id, { label, focus, discard });
    return () => api.set(id, null);
  }, [api, id, dirty, label, focus, discard]);
}
