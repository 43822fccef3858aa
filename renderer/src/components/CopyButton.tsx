import { useState, type ReactNode } from 'react';
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
            setTimeout(() => setCopied(false), 1500);
            toast.success('Copied to the clipboard.');
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
