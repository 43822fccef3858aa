/**
 * Transient messages: errors carry the API's own `detail`, successes confirm a quiet action and
 * may offer one action (Undo after a delete), which keeps them up longer; info says what happened
 * elsewhere ("acme/web was deleted by another program").
 *
 * While a modal dialog is open everything outside it is inert — hidden from screen readers and
 * out of reach — so the stack is rendered inside the topmost open dialog (see useToastHost).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
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
  info(message: string): void;
  /** Said to screen readers only (what the screen already shows, such as a button's "Copied"). */
  announce(message: string): void;
}

interface HostApi {
  push(host: HTMLElement): void;
  remove(host: HTMLElement): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const HostContext = createContext<HostApi | null>(null);

const LIFETIME_MS = { error: 8_000, success: 3_000, info: 6_000 } as const;
/** Long enough to read the message and reach its button. */
const ACTION_LIFETIME_MS = 10_000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [hosts, setHosts] = useState<HTMLElement[]>([]);
  const [announcement, setAnnouncement] = useState('');
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
      info: (message) => show('info', message),
      announce: (message) => {
        // Cleared first, so the same words twice are announced twice.
        setAnnouncement('');
        setTimeout(() => setAnnouncement(message), 50);
      },
    };
  }, [dismiss]);

  const hostApi = useMemo<HostApi>(
    () => ({
      push: (host) => setHosts((all) => [...all.filter((h) => h !== host), host]),
      remove: (host) => setHosts((all) => all.filter((h) => h !== host)),
    }),
    [],
  );

  const stack = (
    <div className="toasts">
      <div role="status" className="sr-only">
        {announcement}
      </div>
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
  );
  const host = hosts[hosts.length - 1];

  return (
    <ToastContext.Provider value={api}>
      <HostContext.Provider value={hostApi}>
        {children}
        {host ? createPortal(stack, host) : stack}
      </HostContext.Provider>
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

/** Makes an open modal dialog the place where toasts show while it is open. */
export function useToastHost(ref: RefObject<HTMLElement | null>): void {
  const hosts = useContext(HostContext);
  useEffect(() => {
    const element = ref.current;
    if (!hosts || !element) return;
    hosts.push(element);
    return () => hosts.remove(element);
  }, [hosts, ref]);
}
