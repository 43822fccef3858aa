/** Shared helpers of the UI tests (ui-*.spec.ts): where things are in the window, by role and label. */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';

export const IMAGE_A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
export const IMAGE_B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';

export const sidebar = (page: Page): Locator => page.getByRole('navigation', { name: 'Namespaces' });
export const repoList = (page: Page): Locator => page.getByRole('listbox', { name: /^Repositories in / });
export const repoOption = (page: Page, name: string): Locator => page.getByRole('option', { name, exact: true });
export const detail = (page: Page): Locator => page.getByRole('region', { name: 'Repository details' });
export const openDialog = (page: Page): Locator => page.locator('dialog[open]');
/** The repo detail's tabs ("Overview", "Tags", "History"). */
export const detailTab = (page: Page, name: 'Overview' | 'Tags' | 'History'): Locator =>
  detail(page).getByRole('tab', { name: new RegExp(`^${name}`) });
/** One row of the Tags tab's table, found by its tag (its row header). */
export const tagRow = (page: Page, tag: string): Locator =>
  page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: tag, exact: true }) });
/** The sidebar's search across namespaces (a combobox) and its results. */
export const globalSearch = (page: Page): Locator => page.getByRole('combobox', { name: 'Search all namespaces' });
export const searchResults = (page: Page): Locator => page.getByRole('listbox', { name: 'Search results' });
/** A counter or time of the repo detail ("Pulls", "Stars", "Last pulled", …). */
export const fact = (page: Page, label: string): Locator =>
  page.getByTestId(`fact-${label.toLowerCase().replace(/ /g, '-')}`).locator('dd');

export async function selectNamespace(page: Page, namespace: string): Promise<void> {
  await sidebar(page)
    .getByRole('button', { name: new RegExp(`^${namespace}\\b`) })
    .click();
}

/** axe-core's serious and critical findings (WCAG 2.x A/AA and best practices) on the page as it is now. */
export async function seriousViolations(
  page: Page,
  options: { within?: string } = {},
): Promise<{ id: string; impact: string | null | undefined; help: string; targets: string[] }[]> {
  // Violations only: axe then skips working out selectors and details for every element that
  // passed, most of its time on a large page (axe-core's API documentation, "Performance").
  const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
  if (options.within) builder.include(options.within);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** What the page's clipboard holds (needs clipboard-read granted to the app's origin). */
export function readClipboard(page: Page): Promise<string> {
  // The test side is typed without DOM lib: the page's navigator is reached through globalThis.
  return page.evaluate(() =>
    (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
  );
}
