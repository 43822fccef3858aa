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
