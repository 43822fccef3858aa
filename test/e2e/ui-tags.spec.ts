/**
 * A repo with 200 tags: the repo page has Overview and Tags tabs (as Docker Hub), the Tags tab
 * renders only the rows on screen, filters and sorts (newest, name, version), deletes several
 * tags at once, and a row's "Move…" fills the form. Tags pushed in the same millisecond always
 * come out in the same order (by name, in code point order), whatever order they arrive in.
 */
import type { Page } from '@playwright/test';
import { TOKEN_HOLDER, type RegistryService } from '../../main/registry/service';
import { expect, test } from '../harness/fixtures';
import { IMAGE_A, IMAGE_B, detail, detailTab, openDialog, repoOption, tagRow } from './ui-support';

// 1.0.0 … 1.19.9: 200 version tags, pushed in an order that is neither by name nor by version.
const TAGS = Array.from({ length: 200 }, (_, i) => `1.${Math.floor(i / 10)}.${i % 10}`);
const PUSH_ORDER = TAGS.map((_, i) => TAGS[(i * 73) % TAGS.length] as string);

async function seed(registry: RegistryService): Promise<void> {
  await registry.createRepo('acme', { repo_name: 'web', full_description: '# Web\n\nThe shop front end.' });
  for (const [i, tag] of PUSH_ORDER.entries()) await registry.putTag('acme', 'web', tag, i % 2 ? IMAGE_A : IMAGE_B);
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });
test.describe.configure({ timeout: 90_000 });

const tagTable = (page: Page) => detail(page).getByRole('table', { name: 'Tags of acme/web' });
const rowHeaders = (page: Page) => tagTable(page).getByRole('rowheader');

async function openTags(page: Page): Promise<void> {
  await repoOption(page, 'web').click();
  await expect(detailTab(page, 'Overview')).toHaveAttribute('aria-selected', 'true');
  await detailTab(page, 'Tags').click();
  await expect(detailTab(page, 'Tags')).toHaveAttribute('aria-selected', 'true');
}

test('the repo page has Overview and Tags tabs; 200 tags are a virtual list that filters and sorts', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'web').click();

  // Overview first: the full description is not buried under the tags.
  await expect(detailTab(page, 'Overview')).toHaveAttribute('aria-selected', 'true');
  await expect(detail(page).getByRole('heading', { name: 'Web', level: 1 })).toBeVisible();
  await expect(tagTable(page)).toBeHidden();
  await expect(detailTab(page, 'Tags')).toContainText('200');

  // The tabs follow the arrow keys.
  await detailTab(page, 'Overview').focus();
  await page.keyboard.press('ArrowRight');
  await expect(detailTab(page, 'Tags')).toBeFocused();
  await expect(detailTab(page, 'Tags')).toHaveAttribute('aria-selected', 'true');
  await expect(detail(page).getByRole('heading', { name: 'Web', level: 1 })).toBeHidden();

  // Newest first (the API's order, ties by name): only a window of rows is in the page.
  const apiOrder = ((await berth.http('GET', '/v1/repositories/acme/web/tags')).body as { tag: string }[]).map((t) => t.tag);
  await expect(rowHeaders(page).first()).toHaveText(apiOrder[0] as string);
  await expect(rowHeaders(page).nth(1)).toHaveText(apiOrder[1] as string);
  expect(await tagTable(page).getByRole('row').count()).toBeLessThan(40);
  await expect(tagTable(page)).toHaveAttribute('aria-rowcount', '201');
  await expect(detail(page).getByText('200 tags', { exact: true })).toBeVisible();

  // Scrolling reaches the last one.
  await tagTable(page)
    .locator('.tag-scroll')
    .evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(tagRow(page, apiOrder[199] as string)).toBeVisible();

  // By version: highest first, 1.10.x above 1.9.x.
  const sort = detail(page).getByLabel('Sort tags');
  await sort.selectOption('version');
  await expect(rowHeaders(page).first()).toHaveText('1.19.9');
  await expect(rowHeaders(page).nth(1)).toHaveText('1.19.8');
  await detail(page).getByLabel('Filter tags').fill('.9.');
  await expect(detail(page).getByText('10 of 200 tags')).toBeVisible();
  await expect(rowHeaders(page)).toHaveText(['1.9.9', '1.9.8', '1.9.7', '1.9.6', '1.9.5', '1.9.4', '1.9.3', '1.9.2', '1.9.1', '1.9.0']);
  await detail(page).getByLabel('Filter tags').fill('1.1');
  await expect(rowHeaders(page).first()).toHaveText('1.19.9');
  await expect(rowHeaders(page).nth(10)).toHaveText('1.18.9');

  // By name: text order, so 1.10.x comes before 1.2.x.
  await sort.selectOption('name');
  await expect(rowHeaders(page).first()).toHaveText('1.1.0');
  await expect(rowHeaders(page).nth(10)).toHaveText('1.10.0');

  // A filter that matches nothing says so; clearing it brings all back.
  await detail(page).getByLabel('Filter tags').fill('nothing-like-this');
  await expect(detail(page).getByText('No tag matches “nothing-like-this”.')).toBeVisible();
  await detail(page).getByLabel('Filter tags').press('Escape');
  await expect(detail(page).getByText('200 tags', { exact: true })).toBeVisible();
});

test('several tags are deleted together, and a row’s Move… fills the form', async ({ berth }) => {
  const { page } = berth;
  await openTags(page);
  const tagsOverHttp = async () => (await berth.http('GET', '/v1/repositories/acme/web/tags')).body as { tag: string; image_id: string }[];

  // Select every tag the filter shows, then delete them after one confirmation.
  await detail(page).getByLabel('Filter tags').fill('1.3.');
  await expect(detail(page).getByText('10 of 200 tags')).toBeVisible();
  await detail(page).getByRole('checkbox', { name: 'Select all 10 shown tags' }).check();
  await expect(detail(page).getByText('10 selected')).toBeVisible();
  await detail(page).getByRole('button', { name: 'Delete 10 tags…' }).click();
  await expect(openDialog(page).getByRole('heading', { name: 'Delete 10 tags?' })).toBeVisible();
  await expect(openDialog(page).getByRole('listitem')).toHaveCount(9); // 8 names and "and 2 more"
  await openDialog(page).getByRole('button', { name: 'Delete 10 tags' }).click();
  await expect(openDialog(page)).toHaveCount(0);
  // Focus lands somewhere defined, not on <body>: no row the filter showed is left, so the Tag field.
  await expect(page.getByRole('form', { name: 'Add or move a tag' }).getByLabel('Tag')).toBeFocused();
  await expect(page.getByRole('status').getByText('Deleted 10 tags from acme/web.')).toBeVisible();
  const left = await tagsOverHttp();
  expect(left).toHaveLength(190);
  expect(left.filter((t) => t.tag.startsWith('1.3.'))).toEqual([]);
  await expect(detail(page).getByText('No tag matches “1.3.”.')).toBeVisible();

  // Two picked by hand.
  await detail(page).getByLabel('Filter tags').fill('1.0.0');
  await tagRow(page, '1.0.0').getByRole('checkbox').check();
  await detail(page).getByLabel('Filter tags').fill('1.4.');
  await tagRow(page, '1.4.4').getByRole('checkbox', { name: 'Select 1.4.4' }).check();
  // The selection counts the one the filter now hides.
  await detail(page).getByRole('button', { name: 'Delete 2 tags…' }).click();
  await expect(openDialog(page).getByRole('listitem')).toHaveText(['1.4.4', '1.0.0']);
  await openDialog(page).getByRole('button', { name: 'Delete 2 tags' }).click();
  await expect.poll(async () => (await tagsOverHttp()).length).toBe(188);
  // Rows the filter shows are left: focus goes to the filter.
  await expect(detail(page).getByLabel('Filter tags')).toBeFocused();

  // Move…: the form gets the tag and its image; the new image goes in and the tag moves.
  const before = (await tagsOverHttp()).find((t) => t.tag === '1.4.5');
  await tagRow(page, '1.4.5').getByRole('button', { name: 'Move tag 1.4.5' }).click();
  const form = page.getByRole('form', { name: 'Add or move a tag' });
  await expect(form.getByLabel('Tag')).toHaveValue('1.4.5');
  await expect(form.getByLabel('Image ID')).toHaveValue(`sha256:${before?.image_id}`);
  await expect(form.getByLabel('Image ID')).toBeFocused();
  await expect(form.getByRole('button', { name: 'Move tag' })).toBeVisible();
  const other = before?.image_id === IMAGE_A ? IMAGE_B : IMAGE_A;
  await page.keyboard.type(other);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await tagsOverHttp()).find((t) => t.tag === '1.4.5')?.image_id).toBe(other);
  await expect(tagRow(page, '1.4.5')).toContainText(other.slice(0, 12));
});

test.describe('tags pushed in the same millisecond', () => {
  const SAME_MS = '2026-03-01T12:00:00.000Z';
  // The tie-break is the name in code point order: digits, then capitals, then _, then small letters
  // (a locale's order would put alpha before Beta).
  const TIED = ['1.0', 'Beta', '_x', 'alpha', 'beta'];
  const NEWER = 'zeta';

  /** Pushes the tags, then gives them the same push time through an import (times are kept as exported). */
  async function seedTies(registry: RegistryService): Promise<void> {
    await registry.createRepo('acme', { repo_name: 'web' });
    for (const tag of [...TIED, NEWER]) await registry.putTag('acme', 'web', tag, IMAGE_A);
    let text = '';
    for await (const piece of registry.exportCatalogue()) text += piece;
    const document = JSON.parse(text) as { repos: { tags: { tag: string; created_at: string; updated_at: string }[] }[] };
    for (const tag of document.repos.flatMap((r) => r.tags)) {
      tag.updated_at = tag.tag === NEWER ? '2026-03-01T12:00:00.001Z' : SAME_MS;
      tag.created_at = SAME_MS;
    }
    await registry.importCatalogue(
      (async function* () {
        yield JSON.stringify(document);
      })(),
      { mode: 'replace' },
    );
  }

  test.use({
    berthOptions: {
      seed: seedTies,
      settings: { last_namespace: 'acme' },
      // The window gets the tags in the reverse of the API's order: the rows' order must be its own.
      intercept: async (call, next) => {
        const answer = await next(call);
        return call.operation === 'listTags' && answer.ok ? { ...answer, result: [...(answer.result as unknown[])].reverse() } : answer;
      },
    },
  });

  test('tags with the same push time are listed by name under "Newest first", live too', async ({ berth }) => {
    const { page } = berth;
    const stored = (await berth.registry.listTags(TOKEN_HOLDER, 'acme', 'web')).map((t) => [t.tag, t.updated_at]);
    expect(stored).toEqual([[NEWER, '2026-03-01T12:00:00.001Z'], ...TIED.map((t) => [t, SAME_MS])]);

    await openTags(page);
    await expect(detail(page).getByLabel('Sort tags')).toHaveValue('newest');
    await expect(rowHeaders(page)).toHaveText([NEWER, ...TIED]);

    // A tag pushed now re-sorts the list live; the tied ones keep their order under it.
    expect((await berth.http('PUT', '/v1/repositories/acme/web/tags/0-new', { image_id: IMAGE_B })).status).toBe(201);
    await expect(rowHeaders(page)).toHaveText(['0-new', NEWER, ...TIED]);
  });
});
