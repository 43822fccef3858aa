/**
 * The create-repo dialog's namespace is picked from the existing ones: a typo does not make a new
 * namespace; a new one is made only through the explicit "Create namespace" choice. With no
 * namespace selected, Ctrl+N puts the cursor in the namespace field.
 */
import { expect, test } from '../harness/fixtures';
import { detail, openDialog, sidebar } from './ui-support';

test('a typo in the namespace does not create a namespace; "Create namespace" does', async ({ berth }) => {
  const { page } = berth;
  for (const namespace of ['acme', 'acme-labs', 'tools'])
    expect((await berth.http('POST', '/v1/namespaces/', { namespace })).status).toBe(201);
  await page.reload();
  await sidebar(page)
    .getByRole('button', { name: /^acme \d/ })
    .click();

  await page.keyboard.press('Control+n');
  const dialog = openDialog(page);
  const picker = dialog.getByRole('combobox', { name: 'Namespace' });
  await expect(picker).toHaveValue('acme');
  await expect(dialog.getByLabel('Repository name')).toBeFocused();

  // A typo is refused with a suggestion, and nothing is created.
  await picker.fill('acmee');
  await dialog.getByLabel('Repository name').fill('web');
  await dialog.getByLabel('Repository name').press('Enter');
  await expect(
    dialog.getByText('There is no namespace acmee. Did you mean acme? Pick one from the list, or choose “Create namespace acmee”.'),
  ).toBeVisible();
  await expect(picker).toBeFocused();
  expect((await berth.http('GET', '/v1/namespaces/acmee')).status).toBe(404);
  expect((await berth.http('GET', '/v1/repositories/acme/web')).status).toBe(404);

  // The list offers the existing ones that match, then the explicit choice.
  await picker.fill('acm');
  const options = dialog.getByRole('listbox', { name: 'Namespaces' }).getByRole('option');
  await expect(options).toHaveText(['acme', 'acme-labs', 'Create namespace “acm”']);
  await picker.press('ArrowDown');
  await picker.press('ArrowDown');
  await expect(picker).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id')) ?? 'missing');
  await picker.press('Enter');
  await expect(picker).toHaveValue('acme-labs');
  await expect(dialog).toBeVisible(); // Enter chose, it did not submit

  // Escape closes the list, not the dialog.
  await picker.fill('acmee');
  await expect(options).toHaveText(['Create namespace “acmee”']);
  await picker.press('Escape');
  await expect(options).toHaveCount(0);
  await expect(dialog).toBeVisible();

  // Choosing "Create namespace" makes it, with the repo.
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(dialog.getByText('A new namespace acmee is created with this repository.')).toBeVisible();
  await dialog.getByLabel('Repository name').press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(detail(page).getByRole('heading', { name: 'acmee/web' })).toBeVisible();
  expect((await berth.http('GET', '/v1/namespaces/acmee')).status).toBe(200);
  await expect(sidebar(page).getByRole('button', { name: /^acmee 1 repository$/ })).toHaveAttribute('aria-current', 'true');
});

test('Ctrl+N with no namespace selected starts in the namespace field', async ({ berth }) => {
  const { page } = berth;
  await expect(sidebar(page).getByText('No namespaces yet')).toBeVisible();
  await page.keyboard.press('Control+n');
  const dialog = openDialog(page);
  const picker = dialog.getByRole('combobox', { name: 'Namespace' });
  await expect(picker).toBeFocused();
  await page.keyboard.type('team');
  await expect(dialog.getByRole('option', { name: 'Create namespace “team”' })).toBeVisible();
  await dialog.getByRole('option', { name: 'Create namespace “team”' }).click();
  await dialog.getByLabel('Repository name').fill('site');
  await dialog.getByRole('button', { name: 'Create repository' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(detail(page).getByRole('heading', { name: 'team/site' })).toBeVisible();
});
