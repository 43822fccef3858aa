/**
 * Transient messages: errors carry the API's own `detail`, successes confirm a quiet action and
 * may offer one action (Undo after a delete), which keeps them up longer.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { toErrorBody } from '../api/berth';

type Kind = 'error' | 'success' | 'info';

/** A button on a toast: running it dismisses the toast. */
export interface ToastAction {
  label: string;
  run(): void;
}

interface Toast {
  id: number;
  kind: Kind;
  message: string;
  action?: ToastAction;
}

interface ToastApi {
  show(kind: Kind, message: string, action?: ToastAction): void;
  error(error: unknown): void;
  success(message: string, action?: ToastAction): void;
}

const ToastContext = createContext<ToastApi | null>(null);

const LIFETIME_MS = { error: 8_000, success: 3_000, info: 4_000 } as const;
/** Long enough to read the message and reach its button. */
const ACTION_LIFETIME_MS = 10_000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const api = useMemo<ToastApi>(() => {
    const show = (kind: Kind, message: string, action?: ToastAction) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-4), action ? { id, kind, message, action } : { id, kind, message }]);
      setTimeout(() => dismiss(id), action ? ACTION_LIFETIME_MS : LIFETIME_MS[kind]);
    };
    return {
      show,
      error: (error) => show('error', toErrorBody(error).detail),
      success: (message, action) => show('success', message, action),
    };
  }, [dismiss]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts">
        <div role="status" aria-live="polite" className="toast-stack">
          {toasts
            .filter((t) => t.kind !== 'error')
            .map((t) => (
              <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
            ))}
        </div>
        <div role="alert" aria-live="assertive" className="toast-stack">
          {toasts
            .filter((t) => t.kind === 'error')
            .map((t) => (
              <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
            ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  return (
    <div className={`toast toast-${toast.kind}`}>
      <span className="toast-message">{toast.message}</span>
      {toast.action ? (
        <button
          type="button"
          className="button-small toast-action"
          onClick={() => {
            onDismiss(toast.id);
            toast.action?.run();
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast outside ToastProvider');
  return api;
}
