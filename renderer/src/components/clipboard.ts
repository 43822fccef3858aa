/**
 * Copies text. The async Clipboard API is the normal path; where the window's permission policy
 * refuses it, the old execCommand path still works for a user-initiated click.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall through to the selection-based copy below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  // Inside an open modal dialog everything outside it is inert, so the helper goes into the dialog.
  (document.querySelector('dialog[open]') ?? document.body).append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw { detail: 'The clipboard is not available in this window.', code: 'internal_error' };
}
