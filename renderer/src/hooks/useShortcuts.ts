/** App-wide keyboard shortcuts: Ctrl/Cmd+N new repo, Ctrl/Cmd+F or "/" search, Ctrl/Cmd+, settings. */
import { useEffect, useRef } from 'react';

export interface ShortcutHandlers {
  newRepo(): void;
  focusSearch(): void;
  openSettings(): void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // Shortcuts stay out of the way while a modal dialog is open.
      if (document.querySelector('dialog[open]')) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && !event.shiftKey && !event.altKey && key === 'n') {
        event.preventDefault();
        latest.current.newRepo();
      } else if (mod && !event.altKey && key === 'f') {
        event.preventDefault();
        latest.current.focusSearch();
      } else if (mod && key === ',') {
        event.preventDefault();
        latest.current.openSettings();
      } else if (!mod && !event.altKey && event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        latest.current.focusSearch();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
