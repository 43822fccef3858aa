/**
 * App-wide keyboard shortcuts: Ctrl/Cmd+N new repo, Ctrl/Cmd+F or "/" search, Ctrl/Cmd+, settings,
 * F6 / Shift+F6 the next / previous pane (namespaces, repositories, details); and the menu's
 * commands without keys (File > Export…, Import…).
 * In Electron the app menu owns those accelerators and sends the same commands through
 * window.berth.onMenuCommand; both paths lead to the same handlers.
 */
import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../../main/contract/api';
import { berth } from '../api/berth';

export interface ShortcutHandlers {
  newRepo(): void;
  focusSearch(): void;
  openSettings(): void;
  cyclePanes(backwards: boolean): void;
  /** File > Export… and Import… (menu only). */
  exportCatalogue(): void;
  importCatalogue(): void;
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
      } else if (!mod && !event.altKey && event.key === 'F6') {
        event.preventDefault();
        latest.current.cyclePanes(event.shiftKey);
      }
    };
    window.addEventListener('keydown', onKeyDown);

    const onMenu = (command: MenuCommand) => {
      if (document.querySelector('dialog[open]')) return;
      if (command === 'new-repository') latest.current.newRepo();
      else if (command === 'focus-search') latest.current.focusSearch();
      else if (command === 'open-settings') latest.current.openSettings();
      else if (command === 'export-catalogue') latest.current.exportCatalogue();
      else if (command === 'import-catalogue') latest.current.importCatalogue();
    };
    const stopMenu = berth().onMenuCommand?.(onMenu);

    return () => {
      window.removeEventListener('keydown', onKeyDown);
      stopMenu?.();
    };
  }, []);
}
