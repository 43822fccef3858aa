/** Transient messages: errors carry the API's own `detail`, successes confirm a quiet action. */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { toErrorBody } from '../api/berth';

type Kind = 'error' | 'success' | 'info';
interface Toast {
  id: number;
  kind: Kind;
  message: string;
}

interface ToastApi {
  show(kind: Kind, message: string): void;
  error(error: unknown): void;
  success(message: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);

const LIFETIME_MS = { error: 8_000, success: 3_000, info: 4_000 } as const;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  const api = useMemo<ToastApi>(() => {
    const show = (kind: Kind, message: string) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-4), { id, kind, message }]);
      setTimeout(() => dismiss(id), LIFETIME_MS[kind]);
    };
    return {
      show,
      error: (error) => show('error', toErrorBody(error).detail),
      success: (message) => show('success', message),
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
