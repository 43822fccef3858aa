/**
 * Errors are reported once and in the right place: a problem with what was typed under the field,
 * in the API's own words (which name the actual problem); anything else — a disk that refuses a
 * write — once, as a toast. Copy says "Copied" on the button, without a toast.
 */
import type { IpcEnvelope } from '../../main/contract/api';
import { storageError } from '../../main/store/storage-error';
import { expect, test } from '../harness/fixtures';
import { IMAGE_A, detail, detailTab, openDialog, readClipboard, repoOption, selectNamespace, tagRow } from './ui-support';

/** What the window receives when the disk is full, as the store reports it. */
const DISK_FULL: IpcEnvelope<unknown> = {
  ok: false,
  error: storageError(Object.assign(new Error('no space'), { code: 'ENOSPC' })).toBody(),
};
const DISK_FULL_DETAIL = DISK_FULL.ok ? '' : DISK_FULL.error.detail;
const FAILING = new Set(['putTag', 'deleteRepo', 'deleteTag', 'deleteNamespace']);

test.use({
  berthOptions: {
    settings: { last_namespace: 'acme' },
    seed: async (registry) => {
      await registry.createRepo('acme', { repo_name: 'web' });
      await registry.putTag('acme', 'web', 'latest', IMAGE_A);
    },
    intercept: (call, next) => (FAILING.has(call.operation) ? Promise.resolve(DISK_FULL) : next(call)),
  },
});

test('a disk error is one toast, not a field error; a failed delete is reported once', async ({ berth }) => {
  const { page } = berth;
  expect(DISK_FULL_DETAIL).toBe('Could not save: the disk is full (ENOSPC).');
  await repoOption(page, 'web').click();
  await detailTab(page, 'Tags').click();

  const form = page.getByRole('form', { name: 'Add or move a tag' });
  await form.getByLabel('Tag').fill('v2');
  await form.getByLabel('Image ID').fill(IMAGE_A);
  await form.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByRole('alert').getByText(DISK_FULL_DETAIL, { exact: true })).toBeVisible();
  await expect(page.getByText(DISK_FULL_DETAIL)).toHaveCount(1);
  await expect(form.getByLabel('Tag')).toHaveAttribute('aria-invalid', 'false');
  await expect(form.getByLabel('Image ID')).toHaveAttribute('aria-invalid', 'false');
  // What was typed is still there to try again.
  await expect(form.getByLabel('Tag')).toHaveValue('v2');
  await page.getByRole('button', { name: 'Dismiss notification' }).click();
  await expect(page.getByText(DISK_FULL_DETAIL)).toHaveCount(0);

  // A delete that fails: the message once, shown over the dialog, which stays open to retry.
  await detail(page).getByRole('button', { name: 'Delete repository…' }).click();
  await openDialog(page).getByLabel('Type web to confirm').fill('web');
  await openDialog(page).getByRole('button', { name: 'Delete repository' }).click();
  await expect(openDialog(page).getByRole('alert').getByText(DISK_FULL_DETAIL, { exact: true })).toBeVisible();
  await expect(page.getByText(DISK_FULL_DETAIL)).toHaveCount(1);
  await expect(openDialog(page).getByRole('heading', { name: 'Delete acme/web?' })).toBeVisible();
  expect((await berth.http('GET', '/v1/repositories/acme/web')).status).toBe(200);
});

test('a failed tag delete and a failed namespace delete are each reported once', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();
  await detailTab(page, 'Tags').click();

  // A tag: the confirmation closes, the message shows once, the tag is still there.
  await tagRow(page, 'latest').getByRole('button', { name: 'Delete tag latest' }).click();
  await openDialog(page).getByRole('button', { name: 'Delete tag' }).click();
  await expect(page.getByRole('alert').getByText(`Tag latest was not deleted: ${DISK_FULL_DETAIL}`, { exact: true })).toBeVisible();
  await expect(page.getByText(DISK_FULL_DETAIL)).toHaveCount(1);
  await expect(openDialog(page)).toHaveCount(0);
  await expect(tagRow(page, 'latest')).toBeVisible();
  expect((await berth.http('GET', '/v1/repositories/acme/web/tags/latest')).status).toBe(200);
  await page.getByRole('button', { name: 'Dismiss notification' }).click();
  await expect(page.getByText(DISK_FULL_DETAIL)).toHaveCount(0);

  // A namespace: the message once, over the dialog, which stays open to try again.
  await page.getByRole('button', { name: 'Delete namespace…' }).click();
  await openDialog(page).getByLabel('Type acme to confirm').fill('acme');
  await openDialog(page).getByRole('button', { name: 'Delete with all repositories' }).click();
  await expect(openDialog(page).getByRole('alert').getByText(DISK_FULL_DETAIL, { exact: true })).toBeVisible();
  await expect(page.getByText(DISK_FULL_DETAIL)).toHaveCount(1);
  await expect(openDialog(page).getByRole('heading', { name: 'Delete namespace acme?' })).toBeVisible();
  expect((await berth.http('GET', '/v1/namespaces/acme')).status).toBe(200);
});

test('Copy says "Copied" on the button, without a toast', async ({ berth }) => {
  const { page } = berth;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(berth.appUrl).origin });
  await repoOption(page, 'web').click();
  await detailTab(page, 'Tags').click();
  const copy = detail(page).getByRole('button', { name: 'Copy image ID of latest', exact: true });
  await copy.click();
  await expect(copy).toHaveText('Copied');
  await expect.poll(() => readClipboard(page)).toBe(`sha256:${IMAGE_A}`);
  // Checked once, now (a retrying assertion would wait for a toast to expire).
  expect(await page.locator('.toast').count()).toBe(0);
  await expect(copy).toHaveText('Copy ID');
  expect(await page.locator('.toast').count()).toBe(0);
});

test('validation messages name the actual problem, the same in the window and over HTTP', async ({ berth }) => {
  const { page } = berth;
  await selectNamespace(page, 'acme');
  await page.keyboard.press('Control+n');
  const name = openDialog(page).getByLabel('Repository name');
  for (const [typed, message] of [
    ['Web-App', 'Use lowercase: web-app'],
    ['w', 'Must be at least 2 characters.'],
    ['web app!', 'Space and “!” are not allowed: use lowercase letters, digits and . _ -'],
    ['web--app', 'Put a single . _ or - between letters or digits (not “--”).'],
  ] as const) {
    await name.fill(typed);
    await expect(openDialog(page).getByText(message, { exact: true })).toBeVisible();
    const overHttp = await berth.http('POST', '/v1/repositories/acme/', { repo_name: typed });
    expect(overHttp.status).toBe(400);
    expect((overHttp.body as { errors: { repo_name: string[] } }).errors.repo_name).toEqual([message]);
  }
  await page.keyboard.press('Escape');

  // A tag, the same way.
  await repoOption(page, 'web').click();
  await detailTab(page, 'Tags').click();
  const form = page.getByRole('form', { name: 'Add or move a tag' });
  await form.getByLabel('Tag').fill('-rc1');
  const overHttp = await berth.http('PUT', '/v1/repositories/acme/web/tags/-rc1', { image_id: IMAGE_A });
  const message = (overHttp.body as { errors: { tag: string[] } }).errors.tag[0] as string;
  expect(message).toBe('Must start with a letter, a digit or _ (not . or -).');
  await expect(form.getByText(message, { exact: true })).toBeVisible();
});
