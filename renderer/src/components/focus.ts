/**
 * Where focus goes. After an action that removes what had focus (a deleted row, a closed editor)
 * focus is put somewhere defined rather than left on <body>; F6 moves between the window's panes.
 *
 * Panes are marked `data-pane="sidebar" | "repos" | "detail"`; inside one, the element marked
 * `data-pane-focus` (the selected namespace, the repo list, the repo's heading) is where F6 lands.
 */

export type PaneName = 'sidebar' | 'repos' | 'detail';
const PANE_ORDER: readonly PaneName[] = ['sidebar', 'repos', 'detail'];

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

function isShown(element: HTMLElement): boolean {
  return !element.closest('[hidden], [inert]') && element.getClientRects().length > 0;
}

/**
 * Focuses what `find` returns as soon as it is rendered (data may still be loading), giving up
 * after `timeoutMs`. Answers whether it did.
 */
export function focusWhenReady(find: () => HTMLElement | null | undefined, timeoutMs = 2_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const element = find();
      // Behind an open modal dialog everything is inert: wait until it has closed.
      const modal = document.querySelector('dialog[open]');
      if (element && isShown(element) && (!modal || modal.contains(element))) {
        element.focus({ preventScroll: false });
        resolve(document.activeElement === element);
      } else if (performance.now() < deadline) {
        requestAnimationFrame(attempt);
      } else {
        resolve(false);
      }
    };
    attempt();
  });
}

function paneElement(name: PaneName): HTMLElement | null {
  const pane = document.querySelector<HTMLElement>(`[data-pane="${name}"]`);
  return pane && isShown(pane) ? pane : null;
}

/** The element F6 lands on in a pane: its marked target if shown, else its first focusable control. */
export function paneTarget(name: PaneName): HTMLElement | null {
  const pane = paneElement(name);
  if (!pane) return null;
  const marked = [...pane.querySelectorAll<HTMLElement>('[data-pane-focus]')].find(isShown);
  if (marked) return marked;
  return [...pane.querySelectorAll<HTMLElement>(FOCUSABLE)].find(isShown) ?? null;
}

export function focusPane(name: PaneName): boolean {
  const target = paneTarget(name);
  target?.focus();
  return target !== null && document.activeElement === target;
}

/** F6 / Shift+F6: the next (or previous) shown pane after the one holding focus. */
export function cyclePanes(backwards: boolean): void {
  const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-pane]')?.dataset.pane as PaneName | undefined;
  const start = current ? PANE_ORDER.indexOf(current) : backwards ? 0 : -1;
  for (let step = 1; step <= PANE_ORDER.length; step += 1) {
    const index = (start + (backwards ? -step : step) + PANE_ORDER.length * 2) % PANE_ORDER.length;
    const name = PANE_ORDER[index];
    if (name && focusPane(name)) return;
  }
}
