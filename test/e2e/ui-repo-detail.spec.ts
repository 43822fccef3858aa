/**
 * The repo detail's smaller matters: "Make private" asks first; while a repo's detail loads, what
 * the list already knows about it shows at once instead of "Loading acme/api…"; a time that
 * arrives while the detail is open reads "just now".
 */
import { expect, test } from '../harness/fixtures';
import { IMAGE_A, detail, fact, openDialog, repoOption } from './ui-support';

/** getRepo answers are held back while `held` is set, as on a slow disk. */
let held: Promise<void> | null = null;

test.use({
  berthOptions: {
    settings: { last_namespace: 'acme' },
    seed: async (registry) => {
      await registry.createRepo('acme', { repo_name: 'api', description: 'Orders and payments' });
      await registry.createRepo('acme', { repo_name: 'web', description: 'Shop front end' });
    },
    intercept: async (call, next) => {
      if (call.operation === 'getRepo' && held) await held;
      return next(call);
    },
  },
});

test('"Make private" asks first, and says what it changes', async ({ berth }) => {
  const { page } = berth;
  const isPublic = async () => ((await berth.http('GET', '/v1/repositories/acme/web')).body as { is_public: boolean }).is_public;
  await repoOption(page, 'web').click();
  await detail(page).getByRole('button', { name: 'Make private…' }).click();
  await expect(openDialog(page).getByRole('heading', { name: 'Make acme/web private?' })).toBeVisible();
  await expect(openDialog(page)).toContainText('anonymous readers of the API will get “not found”');
  await expect(openDialog(page).getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter'); // the safe answer has focus
  await expect(openDialog(page)).toHaveCount(0);
  expect(await isPublic()).toBe(true);

  await detail(page).getByRole('button', { name: 'Make private…' }).click();
  await openDialog(page).getByRole('button', { name: 'Make private' }).click();
  await expect(detail(page).getByText('Private', { exact: true })).toBeVisible();
  expect(await isPublic()).toBe(false);
  // And back, also after a question.
  await detail(page).getByRole('button', { name: 'Make public…' }).click();
  await openDialog(page).getByRole('button', { name: 'Make public' }).click();
  await expect(detail(page).getByText('Public', { exact: true })).toBeVisible();
  expect(await isPublic()).toBe(true);
});

test('while the detail loads, the row’s data is already shown', async ({ berth }) => {
  const { page } = berth;
  await expect(repoOption(page, 'api')).toBeVisible();
  let release = () => {};
  held = new Promise<void>((resolve) => (release = resolve));
  try {
    await repoOption(page, 'api').click();
    await expect(detail(page).getByRole('heading', { name: 'acme/api' })).toBeVisible();
    await expect(detail(page).getByText('Orders and payments', { exact: true })).toBeVisible();
    await expect(detail(page).getByText(/Loading/)).toHaveCount(0);
    await expect(detail(page)).toHaveAttribute('aria-busy', 'true');
  } finally {
    held = null;
    release();
  }
  await expect(detail(page)).toHaveAttribute('aria-busy', 'false');
});

test('a pull recorded long after the detail opened reads "just now", not "in 20 seconds"', async ({ berth }) => {
  const { page } = berth;
  // The page's clock starts 20 s behind and is moved on while the detail is open, as if it had
  // been open for 20 s (no waiting in the test).
  await page.clock.install({ time: Date.now() - 20_000 });
  await page.reload();
  expect((await berth.http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: IMAGE_A })).status).toBe(201);
  await repoOption(page, 'web').click();
  await expect(fact(page, 'Last pulled')).toHaveText('never');
  await page.clock.fastForward(20_000);
  expect((await berth.http('POST', '/v1/repositories/acme/web/tags/latest/pull')).status).toBe(200);
  await expect(fact(page, 'Pulls')).toHaveText('1');
  await expect(fact(page, 'Last pulled')).toHaveText('just now');
});
