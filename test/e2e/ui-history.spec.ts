/**
 * History, undo and the trash in the window (README, "History, undo and the trash"): Undo after
 * deleting a repo (which is selected again) or tags, Restore on a tag's history entry, the History
 * tab that shows who changed what (a tool's changes live), and the Trash view.
 */
import type { Page } from '@playwright/test';
import type { RegistryService } from '../../main/registry/service';
import { expect, test } from '../harness/fixtures';
import { IMAGE_A, IMAGE_B, detail, detailTab, openDialog, repoList, repoOption, sidebar, tagRow } from './ui-support';

async function seed(registry: RegistryService): Promise<void> {
  await registry.createRepo('acme', { repo_name: 'web', description: 'Shop front end' });
  await registry.createRepo('acme', { repo_name: 'api' });
  await registry.putTag('acme', 'web', 'latest', IMAGE_A);
  await registry.putTag('acme', 'web', 'canary', IMAGE_B);
  await registry.setStar('acme', 'web', true);
  await registry.createRepo('tools', { repo_name: 'ci' });
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });

const history = (page: Page) => detail(page).getByRole('list', { name: /^History of / });
const status = (page: Page) => page.getByRole('status');

async function deleteRepo(page: Page, name: string): Promise<void> {
  await detail(page).getByRole('button', { name: 'Delete repository…' }).click();
  await openDialog(page).getByLabel(`Type ${name} to confirm`).fill(name);
  await openDialog(page).getByRole('button', { name: 'Delete repository' }).click();
  await expect(openDialog(page)).toHaveCount(0);
}

test('Undo after deleting a repo brings it back as it was', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();
  const before = (await berth.http('GET', '/v1/repositories/acme/web')).body;
  await deleteRepo(page, 'web');
  await expect(repoOption(page, 'web')).toHaveCount(0);
  expect((await berth.http('GET', '/v1/repositories/acme/web')).status).toBe(404);

  await status(page).getByRole('button', { name: 'Undo' }).click();
  await expect(status(page).getByText('Restored acme/web.')).toBeVisible();
  // The repo is back and selected again, with focus on the list.
  await expect(repoOption(page, 'web')).toHaveAttribute('aria-selected', 'true');
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();
  await expect(repoList(page)).toBeFocused();
  expect((await berth.http('GET', '/v1/repositories/acme/web')).body).toEqual(before);
  await detailTab(page, 'Tags').click();
  await expect(tagRow(page, 'canary')).toBeVisible();
  await detailTab(page, 'History').click();
  await expect(history(page).getByRole('listitem').first()).toContainText('Restored the repository from the trash');
});

test('Undo after deleting a repo in another namespace shows it there', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();
  await deleteRepo(page, 'web');
  await expect(detail(page).getByRole('heading', { name: 'acme/api' })).toBeVisible();
  await sidebar(page)
    .getByRole('button', { name: /^tools/ })
    .click();
  await expect(page.getByRole('heading', { name: 'tools', level: 1 })).toBeVisible();

  await status(page).getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('heading', { name: 'acme', level: 1 })).toBeVisible();
  await expect(repoOption(page, 'web')).toHaveAttribute('aria-selected', 'true');
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();
});

test('Undo after deleting a tag brings it back on its image', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();
  await detailTab(page, 'Tags').click();
  await page.getByRole('button', { name: 'Delete tag canary' }).click();
  await openDialog(page).getByRole('button', { name: 'Delete tag' }).click();
  await expect(tagRow(page, 'canary')).toHaveCount(0);

  await status(page).getByRole('button', { name: 'Undo' }).click();
  await expect(tagRow(page, 'canary')).toBeVisible();
  expect((await berth.http('GET', '/v1/repositories/acme/web/tags/canary')).body).toMatchObject({ image_id: IMAGE_B });
  await detailTab(page, 'History').click();
  await expect(history(page).getByRole('listitem').first()).toContainText('Restored tag canary to e72ac664f4f0');
  await expect(history(page).getByRole('listitem').first()).toContainText('Berth window');
});

test('Undo after deleting several tags at once brings them all back', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();
  await detailTab(page, 'Tags').click();
  await tagRow(page, 'latest').getByRole('checkbox').check();
  await tagRow(page, 'canary').getByRole('checkbox').check();
  await detail(page).getByRole('button', { name: 'Delete 2 tags…' }).click();
  await openDialog(page).getByRole('button', { name: 'Delete 2 tags' }).click();
  await expect(status(page).getByText('Deleted 2 tags from acme/web.')).toBeVisible();
  await expect(tagRow(page, 'latest')).toHaveCount(0);

  await status(page).getByRole('button', { name: 'Undo' }).click();
  await expect(status(page).getByText('2 tags are back in acme/web.')).toBeVisible();
  await expect(tagRow(page, 'latest')).toBeVisible();
  await expect(tagRow(page, 'canary')).toBeVisible();
  expect((await berth.http('GET', '/v1/repositories/acme/web/tags/latest')).body).toMatchObject({ image_id: IMAGE_A });
  expect((await berth.http('GET', '/v1/repositories/acme/web/tags/canary')).body).toMatchObject({ image_id: IMAGE_B });
});

test("the History tab shows a tool's change live, and Restore puts a tag back", async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();
  await detailTab(page, 'History').click();
  await expect(history(page).getByRole('listitem')).toHaveCount(4);

  // A local tool moves the tag: the panel shows it without a refresh.
  expect((await berth.http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: IMAGE_B })).status).toBe(200);
  const newest = history(page).getByRole('listitem').first();
  await expect(newest).toContainText('Moved tag latest from a4002247cb22 to e72ac664f4f0');
  await expect(newest).toContainText('Local API');

  // Restore the entry that created the tag: it points at its first image again.
  await history(page).getByRole('button', { name: 'Restore tag latest to a4002247cb22' }).click();
  await expect(status(page).getByText('Tag latest restored to a4002247cb22.')).toBeVisible();
  expect((await berth.http('GET', '/v1/repositories/acme/web/tags/latest')).body).toMatchObject({ image_id: IMAGE_A });
  await expect(history(page).getByRole('listitem').first()).toContainText('Restored tag latest to a4002247cb22');
  // Entries after which the tag was gone offer no Restore; repo entries neither.
  await expect(history(page).getByRole('listitem').filter({ hasText: 'Created the repository' }).getByRole('button')).toHaveCount(0);
  await detailTab(page, 'Tags').click();
  await expect(tagRow(page, 'latest').getByText('a4002247cb22')).toBeVisible();
});

test('the Trash view restores a repo and deletes one for good after a confirmation', async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('DELETE', '/v1/repositories/acme/web/')).status).toBe(204);
  expect((await berth.http('DELETE', '/v1/repositories/acme/api/')).status).toBe(204);
  await sidebar(page).getByRole('button', { name: 'Trash' }).click();
  const trash = openDialog(page);
  await expect(trash.getByRole('row', { name: /^acme\/api/ })).toBeVisible();
  await expect(trash.getByRole('row', { name: /^acme\/web/ })).toContainText('2');

  await trash.getByRole('button', { name: 'Restore acme/web' }).click();
  await expect(trash.getByRole('row', { name: /^acme\/web/ })).toHaveCount(0);
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();

  await trash.getByRole('button', { name: 'Delete acme/api for good…' }).click();
  await trash.getByRole('button', { name: 'Cancel' }).click();
  await expect(trash.getByRole('row', { name: /^acme\/api/ })).toBeVisible();
  await trash.getByRole('button', { name: 'Delete acme/api for good…' }).click();
  await trash.getByRole('button', { name: 'Delete acme/api for good', exact: true }).click();
  await expect(trash.getByText('The trash is empty.')).toBeVisible();
  expect((await berth.http('GET', '/v1/trash')).body).toMatchObject({ count: 0 });
  expect((await berth.http('POST', '/v1/trash/acme/api/restore')).status).toBe(404);
});
