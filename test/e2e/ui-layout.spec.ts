/**
 * Long content at the window's sizes (720, 1024 and 1920 px wide): 255-character names,
 * 128-character tags, a 100-character description without spaces and a wide Markdown table never
 * push a pane sideways; long text is cut with the whole of it on hover and a copy button; tables
 * scroll in their own box; the list pane is resizable and keeps its width; narrow windows fold
 * the namespaces into a drawer.
 */
import type { Page } from '@playwright/test';
import type { RegistryService } from '../../main/registry/service';
import { expect, test } from '../harness/fixtures';
import { IMAGE_A, IMAGE_B, detail, detailTab, readClipboard, repoOption, selectNamespace, sidebar, tagRow } from './ui-support';

const LONG_NAMESPACE = `n${'-n'.repeat(127)}`; // 255 characters
const LONG_REPO = `r${'r'.repeat(249)}`; // acme/ + 250 = a 255-character path
const LONG_TAG = `t${'t'.repeat(127)}`; // 128 characters
const UNBROKEN = 'd'.repeat(100);
const WIDE_TABLE = [
  '# Settings',
  '',
  `| ${['Variable', 'Default', 'Meaning', 'Example', 'Since', 'Notes'].join(' | ')} |`,
  `|${'---|'.repeat(6)}`,
  `| ${Array.from({ length: 6 }, (_, i) => `cell ${i} with several words of text in it`).join(' | ')} |`,
  // Words that cannot wrap (image references): wider than the pane even at 1920 px.
  `| ${Array.from({ length: 6 }, (_, i) => `registry.example.com/acme/web-frontend:1.2.${i}`).join(' | ')} |`,
].join('\n');

async function seed(registry: RegistryService): Promise<void> {
  await registry.createNamespace(LONG_NAMESPACE);
  await registry.createRepo('acme', { repo_name: 'web', description: UNBROKEN, full_description: WIDE_TABLE });
  await registry.createRepo('acme', { repo_name: LONG_REPO, description: UNBROKEN });
  for (const tag of [LONG_TAG, 'latest', '1.0.0']) await registry.putTag('acme', LONG_REPO, tag, IMAGE_A);
  await registry.putTag('acme', 'web', 'latest', IMAGE_B);
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });

/** Every pane and scroll box whose content is wider than the box itself, with by how much. */
async function sidewaysOverflow(page: Page): Promise<string[]> {
  // The test side is typed without the DOM library: the page's elements are described here.
  type Box = {
    scrollWidth: number;
    clientWidth: number;
    className: string;
    dataset: { pane?: string };
    getClientRects(): { length: number };
  };
  type Doc = { documentElement: Box; querySelectorAll(selector: string): Iterable<Box> };
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: Doc }).document;
    const boxes = [...doc.querySelectorAll('[data-pane], .repo-scroll, .detail-scroll, .tag-table, .tag-scroll, .tab-panel, .statusbar')];
    const found = boxes
      .filter((box) => box.getClientRects().length > 0 && box.scrollWidth > box.clientWidth + 1)
      .map((box) => `${box.dataset.pane ?? box.className}: ${box.scrollWidth} > ${box.clientWidth}`);
    if (doc.documentElement.scrollWidth > doc.documentElement.clientWidth + 1) found.push(`page: ${doc.documentElement.scrollWidth}`);
    return found;
  });
}

/** Whether a locator's box lies inside the detail pane's visible width. */
async function insideDetail(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
  const pane = await detail(page).boundingBox();
  const box = await locator.boundingBox();
  return pane !== null && box !== null && box.x >= pane.x - 1 && box.x + box.width <= pane.x + pane.width + 1;
}

test('long names, tags and descriptions never push a pane sideways at 720, 1024 and 1920 px', async ({ berth }) => {
  const { page } = berth;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(berth.appUrl).origin });
  await repoOption(page, LONG_REPO).click();

  for (const width of [1920, 1024, 720]) {
    await page.setViewportSize({ width, height: 800 });
    const heading = detail(page).getByRole('heading', { name: `acme/${LONG_REPO}` });
    await expect(heading).toBeVisible();
    expect(await sidewaysOverflow(page), `overview at ${width} px`).toEqual([]);
    // The heading takes at most two lines; the whole path is on hover.
    const lineHeight = parseFloat(
      await heading.evaluate(
        (h) => (globalThis as unknown as { getComputedStyle(e: unknown): { lineHeight: string } }).getComputedStyle(h).lineHeight,
      ),
    );
    const lines = ((await heading.boundingBox())?.height ?? 0) / lineHeight;
    expect(lines, `heading lines at ${width} px`).toBeLessThanOrEqual(2.05);
    await expect(heading).toHaveAttribute('title', `acme/${LONG_REPO}`);

    await detailTab(page, 'Tags').click();
    const longRow = tagRow(page, LONG_TAG);
    await expect(longRow).toBeVisible();
    await expect(longRow.getByRole('rowheader')).toHaveAttribute('title', LONG_TAG);
    // The row's buttons stay on screen, however long the tag.
    for (const name of [`Copy tag name ${LONG_TAG}`, `Delete tag ${LONG_TAG}`, `Move tag ${LONG_TAG}`, `Copy image ID of ${LONG_TAG}`]) {
      const button = longRow.getByRole('button', { name });
      await expect(button).toBeVisible();
      expect(await insideDetail(page, button), `${name.slice(0, 12)}… inside the pane at ${width} px`).toBe(true);
    }
    // The copy button next to the cut name gives the whole tag (the clipboard emptied first: each width counts).
    await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { writeText(text: string): Promise<void> } } }).navigator.clipboard.writeText(''),
    );
    await longRow.getByRole('button', { name: `Copy tag name ${LONG_TAG}` }).click();
    await expect.poll(() => readClipboard(page), `the tag copied at ${width} px`).toBe(LONG_TAG);
    expect(await sidewaysOverflow(page), `tags at ${width} px`).toEqual([]);
    await detailTab(page, 'Overview').click();
  }

  // The copy button next to the heading gives the whole path.
  await detail(page).getByRole('button', { name: 'Copy repository path' }).click();
  await expect.poll(() => readClipboard(page)).toBe(`acme/${LONG_REPO}`);

  // A wide Markdown table scrolls in its own box, inside the pane; its cells wrap at words, not at every letter.
  await repoOption(page, 'web').click();
  const tableBox = detail(page).getByRole('region', { name: /^Table/ });
  for (const width of [720, 1024, 1920]) {
    await page.setViewportSize({ width, height: 800 });
    await expect(tableBox).toBeVisible();
    // Polled: once, in CI, the box measured no wider content right after a resize; a table that
    // never scrolls still fails here.
    await expect
      .poll(() => tableBox.evaluate((box) => box.scrollWidth - box.clientWidth), `the table scrolls in its box at ${width} px`)
      .toBeGreaterThan(0);
    expect(await insideDetail(page, tableBox), `the table's box inside the pane at ${width} px`).toBe(true);
    const cellWidth = await tableBox
      .locator('td')
      .first()
      .evaluate((td) => td.getBoundingClientRect().width);
    expect(cellWidth, `a cell's width at ${width} px`).toBeGreaterThan(60);
    expect(await sidewaysOverflow(page), `a wide Markdown table at ${width} px`).toEqual([]);
  }
});

test('at 720 px the namespaces fold into a drawer that opens, picks and closes', async ({ berth }) => {
  const { page } = berth;
  await page.setViewportSize({ width: 720, height: 700 });
  await expect(repoOption(page, 'web')).toBeVisible();
  await expect(sidebar(page)).toBeHidden();
  const toggle = page.getByRole('button', { name: 'Show namespaces' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  // The list and the details share the width; the details keep a usable width.
  const detailBox = await detail(page).boundingBox();
  expect(detailBox?.width ?? 0).toBeGreaterThanOrEqual(360);

  await toggle.click();
  await expect(sidebar(page)).toBeVisible();
  await expect(sidebar(page).getByRole('button', { name: /^acme/ })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(sidebar(page)).toBeHidden();
  await expect(toggle).toBeFocused();

  // Tabbing out of it folds it away too; the registries and the Trash below the namespaces are in it.
  await toggle.click();
  await sidebar(page).getByRole('button', { name: /^acme/ }).focus();
  await page.keyboard.press('Tab');
  await expect(sidebar(page).getByRole('button', { name: 'Add registry' })).toBeFocused();
  await expect(sidebar(page)).toBeVisible();
  await sidebar(page).getByRole('button', { name: 'Trash' }).focus();
  await page.keyboard.press('Tab');
  await expect(sidebar(page)).toBeHidden();

  // Choosing a namespace in the drawer opens it and folds the drawer away.
  await toggle.click();
  await sidebar(page).getByRole('button', { name: /^n-n/ }).click();
  await expect(sidebar(page)).toBeHidden();
  await expect(page.getByRole('heading', { name: LONG_NAMESPACE, level: 1 })).toBeVisible();
  expect(await sidewaysOverflow(page)).toEqual([]);

  // Wider again: the sidebar is back in its place.
  await page.setViewportSize({ width: 1024, height: 700 });
  await expect(sidebar(page)).toBeVisible();
  await expect(toggle).toHaveCount(0);
});

test('the repository list is resized by dragging or with the arrow keys, and keeps its width', async ({ berth }) => {
  const { page } = berth;
  await page.setViewportSize({ width: 1280, height: 700 });
  await expect(repoOption(page, 'web')).toBeVisible();
  const pane = page.getByRole('region', { name: 'Repositories' });
  const handle = page.getByRole('separator', { name: 'Width of the repository list' });
  const before = (await pane.boundingBox())?.width ?? 0;

  const box = await handle.boundingBox();
  if (!box) throw new Error('the resize handle is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await pane.boundingBox())?.width ?? 0)).toBe(Math.round(before + 120));
  await expect.poll(() => berth.settings.get().list_pane_width).toBe(Math.round(before + 120));

  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(handle).toHaveAttribute('aria-valuenow', String(Math.round(before + 120 - 32)));
  await expect.poll(() => berth.settings.get().list_pane_width).toBe(Math.round(before + 120 - 32));

  // Remembered: a reload opens at that width.
  await page.reload();
  await expect(repoOption(page, 'web')).toBeVisible();
  await expect
    .poll(async () => Math.round((await page.getByRole('region', { name: 'Repositories' }).boundingBox())?.width ?? 0))
    .toBe(Math.round(before + 88));

  // The list never squeezes the details below their minimum, however wide it was made.
  await page.getByRole('separator', { name: 'Width of the repository list' }).focus();
  await page.keyboard.press('End');
  await page.setViewportSize({ width: 900, height: 700 });
  await expect.poll(async () => (await detail(page).boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(360);
  expect(await sidewaysOverflow(page)).toEqual([]);
  await selectNamespace(page, 'acme');
});
