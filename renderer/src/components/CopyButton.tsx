/**
 * Copies text. Success is said by the button itself ("Copied", announced politely) rather than by
 * a toast as well; a failure (no clipboard) is a toast.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { copyText } from './clipboard';
import { useToast } from './Toasts';

interface CopyButtonProps {
  text: string;
  /** Accessible name, e.g. "Copy pull command for latest". */
  label: string;
  children?: ReactNode;
  className?: string;
}

export function CopyButton({ text, label, children, className }: CopyButtonProps) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className={className ?? 'button-small'}
      aria-label={label}
      title={label}
      onClick={() =>
        void (async () => {
          try {
            await copyText(text);
            setCopied(true);
            toast.announce('Copied');
          } catch (error) {
            toast.error(error);
          }
        })()
      }
    >
      {copied ? 'Copied' : (children ?? 'Copy')}
    </button>
  );
}

/** The two-sheets icon of a copy button that has no room for a word. */
export function CopyIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" fill="none" stroke="currentColor" />
      <path d="M3.5 10.5h-1a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1h7a1 1 0 0 1 1 1v1" fill="none" stroke="currentColor" />
    </svg>
  );
}
