/**
 * No lost edits: a half-written description survives a click on another repo, another namespace
 * or closing the window until the user agrees to drop it; and Save notices a change another
 * program made meanwhile and lets the user overwrite it or take it.
 */
import type { RegistryService } from '../../main/registry/service';
import { expect, test } from '../harness/fixtures';
import { IMAGE_A, detail, openDialog, repoOption, selectNamespace, sidebar } from './ui-support';

type Detail = { description: string; full_description: string };

async function seed(registry: RegistryService): Promise<void> {
  await registry.createRepo('acme', { repo_name: 'web', description: 'Shop', full_description: '# Web' });
  await registry.createRepo('acme', { repo_name: 'api', description: 'Orders' });
  await registry.createRepo('tools', { repo_name: 'cli' });
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });

test('a half-written full description is kept until the user agrees to discard it', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();
  await detail(page).getByRole('button', { name: 'Edit full description' }).click();
  const editor = detail(page).getByRole('textbox', { name: 'Full description (Markdown)' });
  await editor.fill('# Web\n\nHalf a sentence');

  // Another repo: asked first; "Keep editing" stays, with the draft and the cursor in it.
  await repoOption(page, 'api').click();
  await expect(openDialog(page).getByRole('heading', { name: 'Discard unsaved changes?' })).toBeVisible();
  await expect(openDialog(page)).toContainText('the full description of acme/web');
  await openDialog(page).getByRole('button', { name: 'Keep editing' }).click();
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();
  await expect(editor).toHaveValue('# Web\n\nHalf a sentence');
  await expect(editor).toBeFocused();

  // Another namespace: the same question.
  await selectNamespace(page, 'tools');
  await expect(openDialog(page).getByRole('heading', { name: 'Discard unsaved changes?' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(sidebar(page).getByRole('button', { name: /^acme/ })).toHaveAttribute('aria-current', 'true');
  await expect(editor).toHaveValue('# Web\n\nHalf a sentence');

  // Closing the window: the page asks before it unloads (Electron turns this into a native question).
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const question = await asked;
  expect(question.type()).toBe('beforeunload');
  await question.dismiss();
  await expect(editor).toHaveValue('# Web\n\nHalf a sentence');

  // Discarding goes on to the other repo; nothing was saved.
  await repoOption(page, 'api').click();
  await openDialog(page).getByRole('button', { name: 'Discard changes' }).click();
  await expect(detail(page).getByRole('heading', { name: 'acme/api' })).toBeVisible();
  expect(((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).full_description).toBe('# Web');

  // With nothing being edited, nobody is asked.
  await repoOption(page, 'web').click();
  await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();
  await expect(openDialog(page)).toHaveCount(0);
});

test('saving over a change made elsewhere asks: overwrite it, or load theirs', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();

  // Full description: a tool changes it while the user edits; Save asks; the user overwrites.
  await detail(page).getByRole('button', { name: 'Edit full description' }).click();
  await detail(page).getByRole('textbox', { name: 'Full description (Markdown)' }).fill('# Web\n\nMine');
  expect((await berth.http('PATCH', '/v1/repositories/acme/web', { full_description: '# Web\n\nTheirs' })).status).toBe(200);
  await detail(page).getByRole('button', { name: 'Save' }).click();
  await expect(openDialog(page).getByRole('heading', { name: 'The full description was changed elsewhere' })).toBeVisible();
  await expect(openDialog(page)).toContainText('Theirs');
  expect(((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).full_description).toBe('# Web\n\nTheirs');
  await openDialog(page).getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(openDialog(page)).toHaveCount(0);
  await expect
    .poll(async () => ((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).full_description)
    .toBe('# Web\n\nMine');
  await expect(detail(page).getByText('Mine', { exact: true })).toBeVisible();

  // Description: the user takes theirs instead.
  await detail(page).getByRole('button', { name: 'Edit description' }).click();
  await detail(page).getByRole('textbox', { name: 'Description' }).fill('My shop');
  expect((await berth.http('PATCH', '/v1/repositories/acme/web', { description: 'Their shop' })).status).toBe(200);
  await detail(page).getByRole('textbox', { name: 'Description' }).press('Enter');
  await expect(openDialog(page).getByRole('heading', { name: 'The description was changed elsewhere' })).toBeVisible();
  await openDialog(page).getByRole('button', { name: 'Load theirs' }).click();
  await expect(detail(page).getByText('Their shop', { exact: true })).toBeVisible();
  expect(((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).description).toBe('Their shop');

  // A change to something else (a tag pushed meanwhile) is no conflict: Save just saves.
  await detail(page).getByRole('button', { name: 'Edit description' }).click();
  await detail(page).getByRole('textbox', { name: 'Description' }).fill('Our shop');
  expect((await berth.http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: IMAGE_A })).status).toBe(201);
  await detail(page).getByRole('textbox', { name: 'Description' }).press('Enter');
  await expect(detail(page).getByText('Our shop', { exact: true })).toBeVisible();
  await expect(openDialog(page)).toHaveCount(0);
  expect(((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).description).toBe('Our shop');
});

test.describe('a change landing between the check on Save and the write', () => {
  /** Run (once) just before the window's next updateRepo reaches the backend: another program's write. */
  let landFirst: (() => Promise<unknown>) | null = null;
  test.use({
    berthOptions: {
      seed,
      settings: { last_namespace: 'acme' },
      intercept: async (call, next) => {
        if (call.operation === 'updateRepo' && landFirst) {
          const other = landFirst;
          landFirst = null;
          await other();
        }
        return next(call);
      },
    },
  });

  test('is not overwritten: Save asks, as for a change made earlier', async ({ berth }) => {
    const { page } = berth;
    await repoOption(page, 'web').click();
    await detail(page).getByRole('button', { name: 'Edit description' }).click();
    await detail(page).getByRole('textbox', { name: 'Description' }).fill('My shop');
    // The check on Save reads an unchanged repo; the tool's write lands right after it.
    landFirst = async () =>
      expect((await berth.http('PATCH', '/v1/repositories/acme/web', { description: 'Their shop' })).status).toBe(200);
    await detail(page).getByRole('textbox', { name: 'Description' }).press('Enter');
    await expect(openDialog(page).getByRole('heading', { name: 'The description was changed elsewhere' })).toBeVisible();
    await expect(openDialog(page)).toContainText('Their shop');
    expect(((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).description).toBe('Their shop');
    // No toast about it: the question is the message.
    expect(await page.locator('.toast').count()).toBe(0);

    // Overwriting is a choice made on their version.
    await openDialog(page).getByRole('button', { name: 'Overwrite with mine' }).click();
    await expect(openDialog(page)).toHaveCount(0);
    await expect.poll(async () => ((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).description).toBe('My shop');

    // A change to something else landing there (a tag push) is no conflict: Save just saves.
    await detail(page).getByRole('button', { name: 'Edit description' }).click();
    await detail(page).getByRole('textbox', { name: 'Description' }).fill('Our shop');
    landFirst = async () =>
      expect((await berth.http('PUT', '/v1/repositories/acme/web/tags/latest', { image_id: IMAGE_A })).status).toBe(201);
    await detail(page).getByRole('textbox', { name: 'Description' }).press('Enter');
    await expect(detail(page).getByText('Our shop', { exact: true })).toBeVisible();
    await expect(openDialog(page)).toHaveCount(0);
    expect(((await berth.http('GET', '/v1/repositories/acme/web')).body as Detail).description).toBe('Our shop');
  });
});
