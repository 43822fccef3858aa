/**
 * Keyboard and focus: after each action focus lands somewhere defined (never on <body>); the
 * namespace list is one tab stop with arrow keys; ↓ enters the cross-namespace search results
 * (a combobox); Enter opens a repo; the Markdown preview takes Ctrl+Enter and Escape; F6 moves
 * between the panes.
 */
import type { Page } from '@playwright/test';
import type { RegistryService } from '../../main/registry/service';
import { expect, test } from '../harness/fixtures';
import { IMAGE_A, detail, detailTab, globalSearch, openDialog, repoList, repoOption, searchResults, sidebar, tagRow } from './ui-support';

const NAMESPACES = Array.from({ length: 30 }, (_, i) => `team-${String(i).padStart(2, '0')}`);

async function seed(registry: RegistryService): Promise<void> {
  for (const repo_name of ['api', 'web', 'worker']) await registry.createRepo('acme', { repo_name, description: `The ${repo_name}` });
  for (const tag of ['a', 'b', 'c']) await registry.putTag('acme', 'web', tag, IMAGE_A);
  for (const namespace of NAMESPACES) await registry.createNamespace(namespace);
  await registry.createRepo('team-07', { repo_name: 'web-seven' });
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });

/** What has focus, as a person would point at it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = (
      globalThis as unknown as {
        document: { activeElement: { tagName: string; getAttribute(n: string): string | null; textContent: string | null } | null };
      }
    ).document.activeElement;
    return active
      ? `${active.tagName.toLowerCase()} ${active.getAttribute('aria-label') ?? active.textContent?.trim().slice(0, 40) ?? ''}`
      : 'nothing';
  });

test('after each action focus lands on the next thing to use, never on the page body', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();

  // Description saved: back on its Edit button.
  await detail(page).getByRole('button', { name: 'Edit description' }).click();
  await detail(page).getByRole('textbox', { name: 'Description' }).fill('The shop');
  await page.keyboard.press('Enter');
  await expect(detail(page).getByRole('button', { name: 'Edit description' })).toBeFocused();

  // Full description: Ctrl+Enter saves from the Preview tab, Escape cancels there too.
  await detail(page).getByRole('button', { name: 'Edit full description' }).click();
  await detail(page).getByRole('textbox', { name: 'Full description (Markdown)' }).fill('# Shop\n\nSaved from the preview');
  await detail(page).getByRole('tab', { name: 'Preview' }).click();
  await expect(detail(page).getByRole('heading', { name: 'Shop', level: 1 })).toBeVisible();
  await page.keyboard.press('Control+Enter');
  await expect(detail(page).getByRole('button', { name: 'Edit full description' })).toBeFocused();
  await expect
    .poll(async () => ((await berth.http('GET', '/v1/repositories/acme/web')).body as { full_description: string }).full_description)
    .toBe('# Shop\n\nSaved from the preview');
  await detail(page).getByRole('button', { name: 'Edit full description' }).click();
  await detail(page).getByRole('textbox', { name: 'Full description (Markdown)' }).fill('not kept');
  await detail(page).getByRole('tab', { name: 'Preview' }).click();
  await page.keyboard.press('Tab'); // into the preview itself
  await page.keyboard.press('Escape');
  await expect(detail(page).getByRole('button', { name: 'Edit full description' })).toBeFocused();
  await expect(detail(page).getByText('Saved from the preview')).toBeVisible();

  // Tag added: the Tag field is ready for the next one.
  await detailTab(page, 'Tags').click();
  const form = page.getByRole('form', { name: 'Add or move a tag' });
  await form.getByLabel('Tag').fill('d');
  await form.getByLabel('Image ID').fill(IMAGE_A);
  await form.getByLabel('Image ID').press('Enter');
  await expect(tagRow(page, 'd')).toBeVisible();
  await expect(form.getByLabel('Tag')).toBeFocused();
  await expect(form.getByLabel('Tag')).toHaveValue('');

  // Tag deleted: the row that takes its place has focus on its Delete button.
  await detail(page).getByLabel('Sort tags').selectOption('name');
  await tagRow(page, 'b').getByRole('button', { name: 'Delete tag b' }).click();
  await openDialog(page).getByRole('button', { name: 'Delete tag' }).click();
  await expect(tagRow(page, 'b')).toHaveCount(0);
  await expect(tagRow(page, 'c').getByRole('button', { name: 'Delete tag c' })).toBeFocused();

  // Ctrl+N and Escape: back where the user was.
  await repoList(page).focus();
  await page.keyboard.press('Control+n');
  await expect(openDialog(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(repoList(page)).toBeFocused();
  await page.getByRole('searchbox', { name: 'Search repositories' }).focus();
  await page.keyboard.press('Control+n');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox', { name: 'Search repositories' })).toBeFocused();
  // When nothing had focus (a click on plain text), the repo list takes it.
  await detail(page).getByText('The shop', { exact: true }).click();
  expect(await focused(page)).toMatch(/^body/);
  await page.keyboard.press('Control+n');
  await page.keyboard.press('Escape');
  await expect(repoList(page)).toBeFocused();

  // Repo deleted: the list, with the neighbour selected.
  await detail(page).getByRole('button', { name: 'Delete repository…' }).click();
  await openDialog(page).getByLabel('Type web to confirm').fill('web');
  await page.keyboard.press('Enter');
  await expect(repoList(page)).toBeFocused();
  await expect(detail(page).getByRole('heading', { name: 'acme/worker' })).toBeVisible();
  expect(await focused(page)).not.toMatch(/^body/);
});

test('arrow keys, Enter and F6 move through namespaces, search results, repos and panes', async ({ berth }) => {
  const { page } = berth;
  await expect(repoOption(page, 'api')).toBeVisible();

  // The namespace list is one tab stop: Tab enters at the selected one, arrows move, Enter opens.
  await globalSearch(page).focus();
  await page.keyboard.press('Tab'); // the "New namespace" button
  await page.keyboard.press('Tab');
  await expect(sidebar(page).getByRole('button', { name: /^acme/ })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(sidebar(page).getByRole('button', { name: /^team-01/ })).toBeFocused();
  await page.keyboard.press('End');
  await expect(sidebar(page).getByRole('button', { name: /^team-29/ })).toBeFocused();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(sidebar(page).getByRole('button', { name: /^team-00/ })).toHaveAttribute('aria-current', 'true');
  // One more Tab leaves the list (not thirty).
  await page.keyboard.press('Tab');
  expect(await focused(page)).not.toMatch(/team-/);

  // Search across namespaces: ↓ goes into the results, Enter opens the one highlighted.
  await globalSearch(page).fill('web');
  await expect(searchResults(page).getByRole('option')).toHaveCount(2);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const second = searchResults(page).getByRole('option').nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(globalSearch(page)).toHaveAttribute('aria-activedescendant', (await second.getAttribute('id')) ?? 'missing');
  await expect(globalSearch(page)).toBeFocused();
  const name = (await second.locator('.global-result-name').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(detail(page).getByRole('heading', { name })).toBeVisible();

  // Enter on a repo row opens it: focus moves into its details.
  await sidebar(page).getByRole('button', { name: /^acme/ }).click();
  await repoList(page).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeFocused();

  // F6 cycles the panes: details → namespaces → repositories → details; Shift+F6 goes back.
  await page.keyboard.press('F6');
  await expect(sidebar(page).getByRole('button', { name: /^acme/ })).toBeFocused();
  await page.keyboard.press('F6');
  await expect(repoList(page)).toBeFocused();
  await page.keyboard.press('F6');
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeFocused();
  await page.keyboard.press('Shift+F6');
  await expect(repoList(page)).toBeFocused();
});

test('Ctrl+N pressed just as Escape closes the new-repository dialog opens it again, fresh', async ({ berth }) => {
  const { page } = berth;
  await page.keyboard.press('Control+n');
  await expect(openDialog(page).getByRole('heading', { name: 'New repository' })).toBeVisible();
  await page.getByLabel('Repository name').fill('half-typed');
  // Escape closes the native dialog at once and sends its close event a task later; a fast
  // Ctrl+N can land in between. Both happen here in one task, so the key always wins the race.
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      document: { querySelector(selector: string): { close(): void } | null };
      dispatchEvent(event: unknown): boolean;
      KeyboardEvent: new (type: string, init: { key: string; ctrlKey: boolean }) => unknown;
    };
    g.document.querySelector('dialog[open]')?.close();
    g.dispatchEvent(new g.KeyboardEvent('keydown', { key: 'n', ctrlKey: true }));
  });
  await expect(openDialog(page).getByRole('heading', { name: 'New repository' })).toBeVisible();
  await expect(page.getByLabel('Repository name')).toBeFocused();
  await expect(page.getByLabel('Repository name')).toHaveValue('');
});
