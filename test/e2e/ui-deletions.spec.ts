/**
 * Deletions, however they happen (this window, a tool over HTTP), are handled in one place: the
 * neighbour of what went is selected, and when another program did it the window says so. An
 * open confirmation about something that disappears closes with a word.
 */
import type { Page } from '@playwright/test';
import type { RegistryService } from '../../main/registry/service';
import { expect, test, type BerthWindow } from '../harness/fixtures';
import { IMAGE_A, detail, detailTab, openDialog, repoList, repoOption, selectNamespace, sidebar, tagRow } from './ui-support';

async function seed(registry: RegistryService): Promise<void> {
  for (const repo_name of ['a1', 'a2', 'a3', 'a4']) await registry.createRepo('acme', { repo_name });
  await registry.putTag('acme', 'a1', 'old', IMAGE_A);
  await registry.putTag('acme', 'a1', 'keep', IMAGE_A);
  for (const namespace of ['beta', 'delta', 'gamma', 'omega']) await registry.createRepo(namespace, { repo_name: 'app' });
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });

const heading = (page: Page, path: string) => detail(page).getByRole('heading', { name: path, exact: true });
const current = (page: Page, namespace: string) =>
  expect(sidebar(page).getByRole('button', { name: new RegExp(`^${namespace}\\b`) })).toHaveAttribute('aria-current', 'true');

test('a repo deleted by another program: the neighbour opens and the window says what happened', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'a2').click();
  await expect(heading(page, 'acme/a2')).toBeVisible();

  expect((await berth.http('DELETE', '/v1/repositories/acme/a2/')).status).toBe(204);
  await expect(page.getByRole('status').getByText('acme/a2 was deleted by another program.')).toBeVisible();
  await expect(heading(page, 'acme/a3')).toBeVisible();
  await expect(repoOption(page, 'a3')).toHaveAttribute('aria-selected', 'true');
  await expect(repoOption(page, 'a2')).toHaveCount(0);

  // The last row's neighbour is the one above it.
  await repoOption(page, 'a4').click();
  expect((await berth.http('DELETE', '/v1/repositories/acme/a4/')).status).toBe(204);
  await expect(heading(page, 'acme/a3')).toBeVisible();
  await expect(page.getByRole('status').getByText('acme/a4 was deleted by another program.')).toBeVisible();
});

test('deleting a repo in the window selects its neighbour and gives focus to the list', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'a2').click();
  await detail(page).getByRole('button', { name: 'Delete repository…' }).click();
  await openDialog(page).getByLabel('Type a2 to confirm').fill('a2');
  await openDialog(page).getByRole('button', { name: 'Delete repository' }).click();
  await expect(openDialog(page)).toHaveCount(0);
  await expect(heading(page, 'acme/a3')).toBeVisible();
  await expect(repoList(page)).toBeFocused();
  await expect(page.getByRole('status').getByText('Deleted acme/a2.')).toBeVisible();
  // Its own deletion is not reported as another program's (checked once: the toast would still be up).
  expect(await page.getByText('acme/a2 was deleted by another program.').count()).toBe(0);
  expect((await berth.http('GET', '/v1/repositories/acme/a2')).status).toBe(404);
});

test('a deleted namespace always leaves its neighbour selected, whoever deleted it', async ({ berth }) => {
  const { page } = berth;
  // In the window, twice in a row (the dialog and the live event race each other).
  for (const [gone, next] of [
    ['delta', 'gamma'],
    ['gamma', 'omega'],
  ] as const) {
    await selectNamespace(page, gone);
    await expect(repoOption(page, 'app')).toBeVisible();
    await page.getByRole('button', { name: 'Delete namespace…' }).click();
    await openDialog(page).getByLabel(`Type ${gone} to confirm`).fill(gone);
    await openDialog(page).getByRole('button', { name: 'Delete with all repositories' }).click();
    await expect(openDialog(page)).toHaveCount(0);
    await current(page, next);
    await expect(sidebar(page).getByRole('button', { name: new RegExp(`^${gone}\\b`) })).toHaveCount(0);
    await expect(sidebar(page).getByRole('button', { name: new RegExp(`^${next}\\b`) })).toBeFocused();
    expect((await berth.http('GET', `/v1/namespaces/${gone}`)).status).toBe(404);
  }

  // By another program: the last one's neighbour is the one above, and the window says so.
  await current(page, 'omega');
  expect((await berth.http('DELETE', '/v1/namespaces/omega?force=true')).status).toBe(204);
  await current(page, 'beta');
  await expect(page.getByRole('status').getByText('Namespace omega was deleted by another program.')).toBeVisible();
  await expect(repoOption(page, 'app')).toBeVisible();
});

test('a delete confirmation whose tag or repo disappears closes, with a word', async ({ berth }) => {
  const { page } = berth;
  await repoOption(page, 'a1').click();
  await detailTab(page, 'Tags').click();
  await tagRow(page, 'old').getByRole('button', { name: 'Delete tag old' }).click();
  await expect(openDialog(page).getByRole('heading', { name: 'Delete tag old?' })).toBeVisible();

  expect((await berth.http('DELETE', '/v1/repositories/acme/a1/tags/old')).status).toBe(204);
  await expect(openDialog(page)).toHaveCount(0);
  await expect(page.getByRole('status').getByText('Tag old was deleted by another program.')).toBeVisible();
  await expect(tagRow(page, 'old')).toHaveCount(0);
  await expect(tagRow(page, 'keep')).toBeVisible();

  // The repo's own delete confirmation, when a tool deletes the repo first.
  await detail(page).getByRole('button', { name: 'Delete repository…' }).click();
  await expect(openDialog(page).getByRole('heading', { name: 'Delete acme/a1?' })).toBeVisible();
  expect((await berth.http('DELETE', '/v1/repositories/acme/a1/')).status).toBe(204);
  await expect(openDialog(page)).toHaveCount(0);
  await expect(page.getByRole('status').getByText('acme/a1 was deleted by another program.')).toBeVisible();
  await expect(heading(page, 'acme/a2')).toBeVisible();
});

test.describe('a namespace deleted in the window, its answer and its live event in either order', () => {
  /** While set, the window's deleteNamespace answer waits for it (the deletion itself is done). */
  let answerGate: Promise<void> | null = null;
  test.use({
    berthOptions: {
      seed,
      settings: { last_namespace: 'acme' },
      intercept: async (call, next) => {
        const answer = await next(call);
        if (call.operation === 'deleteNamespace' && answerGate) await answerGate;
        return answer;
      },
    },
  });
  test.afterEach(() => {
    answerGate = null;
  });

  /** Namespaces whose "deleted" event the page has received (its listener runs after the window's own). */
  async function watchDeletedEvents(page: Page): Promise<() => Promise<string[]>> {
    await page.evaluate(() => {
      const w = globalThis as unknown as BerthWindow & { deletedSeen: string[] };
      w.deletedSeen = [];
      w.berth.onChange((event) => {
        if (event.entity === 'namespace' && event.action === 'deleted') w.deletedSeen.push(event.namespace);
      });
    });
    return () => page.evaluate(() => (globalThis as unknown as { deletedSeen: string[] }).deletedSeen);
  }
  /** Lets React render what the last event or answer changed (two frames), instead of a fixed sleep. */
  const rendered = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const frame = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
          frame(() => frame(() => resolve()));
        }),
    );

  async function startDelete(page: Page, gone: string): Promise<void> {
    await selectNamespace(page, gone);
    await expect(repoOption(page, 'app')).toBeVisible();
    await page.getByRole('button', { name: 'Delete namespace…' }).click();
    await openDialog(page).getByLabel(`Type ${gone} to confirm`).fill(gone);
    await openDialog(page).getByRole('button', { name: 'Delete with all repositories' }).click();
  }

  async function saidOnce(page: Page, gone: string): Promise<void> {
    await expect(page.getByRole('status').getByText(`Deleted namespace ${gone}.`, { exact: true })).toHaveCount(1);
    await rendered(page);
    expect(await page.getByText(`Namespace ${gone} was deleted by another program.`).count()).toBe(0);
    expect(await page.getByText(`Deleted namespace ${gone}.`).count()).toBe(1);
  }

  test('the live event first, then the answer: the neighbour is selected, the deletion said once', async ({ berth }) => {
    const { page } = berth;
    const seen = await watchDeletedEvents(page);
    let releaseAnswer = () => {};
    answerGate = new Promise<void>((resolve) => (releaseAnswer = resolve));

    await startDelete(page, 'delta');
    await expect.poll(seen).toEqual(['delta']);
    // The event alone moves the selection and closes the dialog; the answer is still on its way.
    await current(page, 'gamma');
    await expect(openDialog(page)).toHaveCount(0);
    expect(berth.calls().filter((c) => c === 'deleteNamespace')).toHaveLength(1);

    releaseAnswer();
    await saidOnce(page, 'delta');
    await current(page, 'gamma');
    await expect(sidebar(page).getByRole('button', { name: /^gamma\b/ })).toBeFocused();
    await expect(sidebar(page).getByRole('button', { name: /^delta\b/ })).toHaveCount(0);
    await expect(repoOption(page, 'app')).toBeVisible();
  });

  test('the answer first, then the live event: the neighbour is selected, the deletion said once', async ({ berth }) => {
    const { page } = berth;
    const seen = await watchDeletedEvents(page);
    const releaseEvents = berth.holdChanges();

    await startDelete(page, 'gamma');
    // The answer closes the dialog and selects the neighbour; the event has not reached the page.
    await expect(openDialog(page)).toHaveCount(0);
    await current(page, 'omega');
    expect(await seen()).toEqual([]);

    await releaseEvents();
    await expect.poll(seen).toEqual(['gamma']);
    await saidOnce(page, 'gamma');
    await current(page, 'omega');
    await expect(sidebar(page).getByRole('button', { name: /^omega\b/ })).toBeFocused();
    await expect(sidebar(page).getByRole('button', { name: /^gamma\b/ })).toHaveCount(0);
    await expect(repoOption(page, 'app')).toBeVisible();
  });
});
