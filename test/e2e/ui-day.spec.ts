/**
 * A user's day in the window, checked against the API as a local tool sees it: every step the
 * user takes in the UI is read back over HTTP, and a change made over HTTP shows up in the window.
 */
import { expect, test } from '../harness/fixtures';
import {
  IMAGE_A,
  IMAGE_B,
  detail,
  detailTab,
  fact,
  globalSearch,
  openDialog,
  readClipboard,
  repoOption,
  searchResults,
  selectNamespace,
  sidebar,
  tagRow,
} from './ui-support';

type Detail = { description: string; full_description: string; is_repo_starred: boolean; repo_starred_count: number; download: number };
type Tags = { tag: string; image_id: string }[];

test('a user creates, edits, tags, stars, shares and deletes a repository', async ({ berth }) => {
  const { page } = berth;
  const origin = new URL(berth.appUrl).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });

  // A fresh install says what to do.
  await expect(sidebar(page).getByText('No namespaces yet')).toBeVisible();

  // Create a namespace.
  await sidebar(page).getByRole('button', { name: 'New namespace' }).click();
  await expect(openDialog(page).getByRole('heading', { name: 'New namespace' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill('acme');
  await page.keyboard.press('Enter');
  await expect(openDialog(page)).toHaveCount(0);
  await expect(sidebar(page).getByRole('button', { name: /^acme 0 repositories$/ })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByRole('heading', { name: 'No repositories yet' })).toBeVisible();
  expect((await berth.http('GET', '/v1/namespaces/acme')).status).toBe(200);

  // Ctrl+N opens the new-repository dialog; Escape closes it.
  await page.keyboard.press('Control+n');
  await expect(openDialog(page).getByRole('heading', { name: 'New repository' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(openDialog(page)).toHaveCount(0);

  // An invalid name is refused as the user types, in the API's own words.
  await page.keyboard.press('Control+n');
  const name = page.getByLabel('Repository name');
  await expect(name).toBeFocused();
  await name.fill('Web App!');
  const refused = await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'Web App!' });
  expect(refused.status).toBe(400);
  const apiMessage = (refused.body as { errors: { repo_name: string[] } }).errors.repo_name[0] as string;
  await expect(openDialog(page).getByText(apiMessage, { exact: true })).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Enter');
  await expect(openDialog(page)).toBeVisible(); // nothing was created
  expect((await berth.http('GET', '/v1/repositories/acme/')).body).toMatchObject({ count: 0 });

  // Create the repo (Enter submits).
  await name.fill('web-app');
  await expect(name).toHaveAttribute('aria-invalid', 'false');
  await page.getByLabel('Description').fill('Front end');
  await page.keyboard.press('Enter');
  await expect(openDialog(page)).toHaveCount(0);
  await expect(detail(page).getByRole('heading', { name: 'acme/web-app' })).toBeVisible();
  await expect(repoOption(page, 'web-app')).toHaveAttribute('aria-selected', 'true');
  await expect(sidebar(page).getByRole('button', { name: /^acme 1 repository$/ })).toBeVisible();

  // A duplicate is refused by the API and the message lands under the name field.
  await page.keyboard.press('Control+n');
  await page.getByLabel('Repository name').fill('web-app');
  await page.keyboard.press('Enter');
  await expect(openDialog(page).getByText(/already exists/i)).toBeVisible();
  await page.keyboard.press('Escape');

  // Edit the description in place.
  await detail(page).getByRole('button', { name: 'Edit description' }).click();
  const description = detail(page).getByRole('textbox', { name: 'Description' });
  await expect(description).toBeFocused();
  await description.fill('The shop front end');
  await description.press('Enter');
  await expect(detail(page).getByText('The shop front end', { exact: true })).toBeVisible();
  await expect
    .poll(async () => ((await berth.http('GET', '/v1/repositories/acme/web-app')).body as Detail).description)
    .toBe('The shop front end');

  // Edit the full description with the preview.
  await detail(page).getByRole('button', { name: 'Edit full description' }).click();
  await detail(page)
    .getByRole('textbox', { name: 'Full description (Markdown)' })
    .fill('# Web app\n\nServes **pages**.\n\n- fast\n- small');
  await detail(page).getByRole('tab', { name: 'Preview' }).click();
  await expect(detail(page).getByRole('heading', { name: 'Web app', level: 1 })).toBeVisible();
  await expect(detail(page).locator('strong', { hasText: 'pages' })).toBeVisible();
  await detail(page).getByRole('button', { name: 'Save' }).click();
  await expect(detail(page).getByRole('button', { name: 'Edit full description' })).toBeVisible();
  await expect(detail(page).getByRole('heading', { name: 'Web app', level: 1 })).toBeVisible();
  expect(((await berth.http('GET', '/v1/repositories/acme/web-app')).body as Detail).full_description).toBe(
    '# Web app\n\nServes **pages**.\n\n- fast\n- small',
  );

  // Add two tags, then move one to another image (on the Tags tab).
  await detailTab(page, 'Tags').click();
  const tagForm = page.getByRole('form', { name: 'Add or move a tag' });
  await tagForm.getByLabel('Tag').fill('latest');
  await tagForm.getByLabel('Image ID').fill(`sha256:${IMAGE_A}`);
  await tagForm.getByRole('button', { name: 'Add tag' }).click();
  await expect(tagRow(page, 'latest')).toContainText(IMAGE_A.slice(0, 12));
  await tagForm.getByLabel('Tag').fill('v1');
  await tagForm.getByLabel('Image ID').fill(IMAGE_A);
  await tagForm.getByLabel('Image ID').press('Enter');
  await expect(tagRow(page, 'v1')).toBeVisible();
  await tagForm.getByLabel('Tag').fill('latest');
  await expect(tagForm.getByRole('button', { name: 'Move tag' })).toBeVisible();
  await tagForm.getByLabel('Image ID').fill(IMAGE_B);
  await tagForm.getByRole('button', { name: 'Move tag' }).click();
  const latestRow = tagRow(page, 'latest');
  await expect(latestRow).toContainText(IMAGE_B.slice(0, 12));
  // The short id is what `docker images` prints; the full one is on hover.
  await expect(latestRow.locator('code.image-id')).toHaveText(IMAGE_B.slice(0, 12));
  await expect(latestRow.locator('code.image-id')).toHaveAttribute('title', `sha256:${IMAGE_B}`);
  const tags = (await berth.http('GET', '/v1/repositories/acme/web-app/tags')).body as Tags;
  expect(tags).toEqual(
    expect.arrayContaining([
      { tag: 'latest', image_id: IMAGE_B },
      { tag: 'v1', image_id: IMAGE_A },
    ]),
  );
  await expect(fact(page, 'Pushes')).toHaveText('3');

  // Berth's API is not an image registry: an unlinked repo is catalogue-only, with no pull line to copy.
  await expect(detail(page).getByText('Catalogue only')).toBeVisible();
  await expect(detail(page).getByRole('button', { name: 'Link to a registry…' })).toBeVisible();
  await expect(detail(page).getByText(/docker pull/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Copy pull command/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Copy image ID of v1' }).click();
  await expect.poll(() => readClipboard(page)).toBe(`sha256:${IMAGE_A}`);

  // Star, then unstar.
  const star = detail(page).getByRole('button', { name: /Star/ });
  await star.click();
  await expect(star).toHaveAttribute('aria-pressed', 'true');
  await expect(fact(page, 'Stars')).toHaveText('1');
  expect((await berth.http('GET', '/v1/repositories/acme/web-app')).body).toMatchObject({ is_repo_starred: true, repo_starred_count: 1 });
  await star.click();
  await expect(star).toHaveAttribute('aria-pressed', 'false');
  await expect(fact(page, 'Stars')).toHaveText('0');
  expect((await berth.http('GET', '/v1/repositories/acme/web-app')).body).toMatchObject({ is_repo_starred: false, repo_starred_count: 0 });

  // A pull recorded by a tool over HTTP shows up without a refresh.
  await expect(fact(page, 'Pulls')).toHaveText('0');
  await expect(fact(page, 'Last pulled')).toHaveText('never');
  expect((await berth.http('POST', '/v1/repositories/acme/web-app/tags/latest/pull')).status).toBe(200);
  await expect(fact(page, 'Pulls')).toHaveText('1', { timeout: 1_000 });
  await expect(fact(page, 'Last pulled')).toHaveText('just now');
  await expect(fact(page, 'Last pulled').locator('time')).toHaveAttribute('title', /\d{4}-\d\d-\d\dT/);

  // Delete a tag (after confirming).
  await page.getByRole('button', { name: 'Delete tag v1' }).click();
  await openDialog(page).getByRole('button', { name: 'Delete tag' }).click();
  await expect(tagRow(page, 'v1')).toHaveCount(0);
  expect(((await berth.http('GET', '/v1/repositories/acme/web-app/tags')).body as Tags).map((t) => t.tag)).toEqual(['latest']);

  // The last namespace is remembered across a reload.
  expect(berth.settings.get().last_namespace).toBe('acme');
  await page.reload();
  await expect(sidebar(page).getByRole('button', { name: /^acme/ })).toHaveAttribute('aria-current', 'true');
  await repoOption(page, 'web-app').click();

  // Delete the repo: only after typing its name.
  await detail(page).getByRole('button', { name: 'Delete repository…' }).click();
  const confirm = openDialog(page).getByRole('button', { name: 'Delete repository' });
  await expect(confirm).toBeDisabled();
  await openDialog(page).getByLabel('Type web-app to confirm').fill('web-ap');
  await expect(confirm).toBeDisabled();
  await openDialog(page).getByLabel('Type web-app to confirm').fill('web-app');
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(openDialog(page)).toHaveCount(0);
  await expect(repoOption(page, 'web-app')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'No repositories yet' })).toBeVisible();
  expect((await berth.http('GET', '/v1/repositories/acme/web-app')).status).toBe(404);
});

test('"/" and Ctrl+F focus the search box, which filters the list', async ({ berth }) => {
  const { page } = berth;
  for (const repo_name of ['api', 'web', 'worker'])
    expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name })).status).toBe(201);
  await selectNamespace(page, 'acme');
  await expect(repoOption(page, 'worker')).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search repositories' });
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await page.keyboard.type('w');
  await expect(repoOption(page, 'api')).toHaveCount(0);
  await expect(repoOption(page, 'web')).toBeVisible();
  await page.getByRole('listbox').focus();
  await page.keyboard.press('Control+f');
  await expect(search).toBeFocused();
  await search.fill('zzz');
  await expect(page.getByRole('heading', { name: 'No matches' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear search and filter' }).click();
  await expect(repoOption(page, 'api')).toBeVisible();
  // Escape in the search box clears it; ArrowDown moves into the list.
  await search.fill('work');
  await expect(repoOption(page, 'api')).toHaveCount(0);
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(repoOption(page, 'api')).toBeVisible();
  await search.press('ArrowDown');
  await expect(page.getByRole('listbox')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();
});

test('a namespace with repos explains why it cannot simply be deleted, and can be deleted with them', async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
  await berth.http('POST', '/v1/namespaces/', { namespace: 'empty' });
  await sidebar(page).getByRole('button', { name: /^acme/ }).click();
  await page.getByRole('button', { name: 'Delete namespace…' }).click();
  await expect(openDialog(page)).toContainText('still holds 1 repository, so it cannot be deleted on its own');
  const force = openDialog(page).getByRole('button', { name: 'Delete with all repositories' });
  await expect(force).toBeDisabled();
  await openDialog(page).getByLabel('Type acme to confirm').fill('acme');
  await force.click();
  await expect(sidebar(page).getByRole('button', { name: /^acme/ })).toHaveCount(0);
  expect((await berth.http('GET', '/v1/namespaces/acme')).status).toBe(404);

  // An empty one goes after a plain confirmation.
  await sidebar(page)
    .getByRole('button', { name: /^empty/ })
    .click();
  await page.getByRole('button', { name: 'Delete namespace…' }).click();
  await openDialog(page).getByRole('button', { name: 'Delete namespace' }).click();
  await expect(sidebar(page).getByText('No namespaces yet')).toBeVisible();
});

test("a namespace that already exists is refused under the field, in the API's words", async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
  await selectNamespace(page, 'acme');
  await sidebar(page).getByRole('button', { name: 'New namespace' }).click();
  await page.getByLabel('Name', { exact: true }).fill('acme');
  await page.keyboard.press('Enter');
  const conflict = await berth.http('POST', '/v1/namespaces/', { namespace: 'acme' });
  expect(conflict.status).toBe(409);
  await expect(openDialog(page).getByText((conflict.body as { detail: string }).detail, { exact: true })).toBeVisible();
});

test('a repo deleted by a tool while it is open is let go, not shown broken', async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
  await selectNamespace(page, 'acme');
  await repoOption(page, 'web').click();
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();
  expect((await berth.http('DELETE', '/v1/repositories/acme/web/')).status).toBe(204);
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toHaveCount(0, { timeout: 1_000 });
  await expect(repoOption(page, 'web')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'No repositories yet' })).toBeVisible();
});

test("the app menu's commands open the new-repository dialog, focus the search and open settings", async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
  await selectNamespace(page, 'acme');
  await expect(repoOption(page, 'web')).toBeVisible();

  await berth.menu('new-repository');
  await expect(openDialog(page).getByRole('heading', { name: 'New repository' })).toBeVisible();
  await expect(openDialog(page).getByRole('combobox', { name: 'Namespace' })).toHaveValue('acme');
  await page.keyboard.press('Escape');
  await expect(openDialog(page)).toHaveCount(0);

  await berth.menu('focus-search');
  await expect(page.getByRole('searchbox', { name: 'Search repositories' })).toBeFocused();

  await berth.menu('open-settings');
  await expect(openDialog(page).getByRole('heading', { name: 'Settings' })).toBeVisible();
  // While a dialog is open, other commands wait their turn instead of stacking dialogs.
  await berth.menu('new-repository');
  await expect(openDialog(page)).toHaveCount(1);
  await expect(openDialog(page).getByRole('heading', { name: 'Settings' })).toBeVisible();
});

test('searching all namespaces finds repos anywhere and opens the one picked', async ({ berth }) => {
  const { page } = berth;
  for (const [ns, repo_name, description] of [
    ['acme', 'web', 'Shop front end'],
    ['tools', 'web-cli', 'Command line for the web team'],
    ['tools', 'db', 'Database tools'],
  ] as const) {
    expect((await berth.http('POST', `/v1/repositories/${ns}/`, { repo_name, description })).status).toBe(201);
  }
  await selectNamespace(page, 'acme');
  const search = globalSearch(page);
  await search.fill('web');
  const results = searchResults(page);
  await expect(results.getByRole('option')).toHaveCount(2);
  await expect(results.getByRole('option', { name: /^acme\/web/ })).toBeVisible();

  // Results follow the API: a repo created now shows up while the search is open.
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'webhooks' })).status).toBe(201);
  await expect(results.getByRole('option')).toHaveCount(3, { timeout: 1_000 });

  await results.getByRole('option', { name: /^tools\/web-cli/ }).click();
  await expect(sidebar(page).getByRole('button', { name: /^tools/ })).toHaveAttribute('aria-current', 'true');
  await expect(detail(page).getByRole('heading', { name: 'tools/web-cli' })).toBeVisible();
  await expect(search).toHaveValue('');

  await search.fill('nothing-here');
  await expect(page.getByText('No repository matches “nothing-here”.')).toBeVisible();
  await search.fill('database');
  await search.press('Enter');
  await expect(detail(page).getByRole('heading', { name: 'tools/db' })).toBeVisible();
});
