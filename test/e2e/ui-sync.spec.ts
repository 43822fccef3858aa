/**
 * A user ties Berth's catalogue to a real docker-registry from the window: imports two
 * repositories with a tag filter (one bad item among them) and reads the summary, finds the
 * linked repo's link panel and its real pull line, syncs after a push, links a catalogue-only repo,
 * sees a push arrive live through the registry's notifications, cancels a slow import, and reads
 * a long-named tag's registry facts whole at the window's sizes.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import type { EventsConfigView, JobView } from '../../main/contract/types';
import { expect, test, type BerthFixture } from '../harness/fixtures';
import { buildImage, buildIndex } from '../registries/rig/images';
import { pushImage, pushIndex } from '../registries/rig/pusher';
import { startRegistry, type RunningRegistry } from '../registries/rig/registry-process';
import { registriesSection } from './registry-support';
import { detail, detailTab, openDialog, readClipboard, repoOption, selectNamespace, tagRow } from './ui-support';

const first = buildImage({ format: 'oci', created: '2024-05-01T12:00:00Z', layers: [{ 'a.txt': 'first\n' }] });
const second = buildImage({ format: 'docker', created: '2024-06-01T12:00:00Z', layers: [{ 'b.txt': 'second\n' }] });

const running: { stop(): Promise<void> }[] = [];
test.afterEach(async () => {
  for (const thing of running.splice(0)) await thing.stop();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A docker-registry connected to this Berth as `local`; with `events`, its config.yml holds the YAML Berth's events-config gave. */
async function connectRegistry(berth: BerthFixture, options: { events?: boolean } = {}): Promise<RunningRegistry> {
  let registry: RunningRegistry;
  if (options.events) {
    const port = await freePort();
    expect((await berth.http('POST', '/v1/registries/?verify=false', { name: 'local', url: `http://127.0.0.1:${port}` })).status).toBe(201);
    const config = (await berth.http('GET', '/v1/registries/local/events-config')).body as EventsConfigView;
    registry = await startRegistry({ port, extraYaml: config.yaml });
  } else {
    registry = await startRegistry();
    expect((await berth.http('POST', '/v1/registries/', { name: 'local', url: registry.url })).status).toBe(201);
  }
  running.push(registry);
  return registry;
}

/**
 * Stands between Berth and the registry and holds the requests `hold` picks until release(), so an
 * import is still running, whatever the machine's speed, when the test cancels it.
 */
async function gatedProxy(target: RunningRegistry, hold: (path: string) => boolean): Promise<{ url: string; release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (hold(req.url ?? '')) void released.then(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({
    stop: () =>
      new Promise<void>((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, release };
}

async function openRepo(page: Page, namespace: string, repoName: string): Promise<void> {
  await selectNamespace(page, namespace);
  await repoOption(page, repoName).click();
  await expect(detail(page).getByRole('heading', { name: `${namespace}/${repoName}` })).toBeVisible();
  await detailTab(page, 'Tags').click();
}

const linkPanel = (page: Page) => detail(page).getByRole('region', { name: 'Registry link' });
/** What a running or finished job says (the dialog also holds the window's toasts and announcer, both live regions). */
const jobSummary = (scope: Locator) => scope.locator('.job-summary');

test('import two repositories with a tag filter, read the summary, then sync a linked repo and link a catalogue-only one', async ({
  berth,
}) => {
  test.setTimeout(120_000);
  const { page } = berth;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(berth.appUrl).origin });
  const registry = await connectRegistry(berth);
  const target = { url: registry.url };
  await pushImage(target, 'team/app', ['1.0', '1.1', 'dev'], first);
  await pushImage(target, 'team/web', ['1.0', 'latest'], second);
  await pushImage(target, 'tools/cli', ['latest'], first);
  await pushImage(target, 'solo', ['1.0'], first);

  await registriesSection(page).getByRole('button', { name: 'local', exact: true }).click();
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = openDialog(page);
  const list = dialog.getByRole('list', { name: 'Repositories to import' });
  await expect(list.getByRole('checkbox')).toHaveCount(4);
  await dialog.getByRole('searchbox', { name: 'Filter the catalogue' }).fill('team');
  await expect(list.getByRole('checkbox')).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Select shown' }).click();
  await dialog.getByRole('searchbox', { name: 'Filter the catalogue' }).fill('');
  // A one-segment path without a target namespace cannot be named: the preview says so, the import reports it.
  await list.getByRole('checkbox', { name: 'solo' }).check();
  const preview = dialog.getByRole('table', { name: 'Local names' });
  await expect(preview.getByRole('row', { name: /^team\/app/ })).toContainText('team/app');
  await expect(preview.getByRole('row', { name: /^solo/ })).toContainText('Skipped');
  await dialog.getByLabel('Target namespace (optional)').fill('mirror');
  await expect(preview.getByRole('row', { name: /^team\/app/ })).toContainText('mirror/team-app');
  await dialog.getByLabel('Target namespace (optional)').fill('');

  // The tag filter is checked as it is typed.
  const tags = dialog.getByLabel('Tag filter (optional)');
  await tags.fill('1\\.(');
  await expect(dialog.getByText(/^Not a regular expression/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: /^Start import/ })).toBeDisabled();
  await tags.fill('1\\..*|latest');
  await dialog.getByRole('button', { name: 'Start import of 3' }).click();

  await expect(jobSummary(dialog)).toHaveText('Finished: 3 of 3 repositories, 1 with errors.');
  await expect(dialog.getByRole('list', { name: 'Errors' })).toContainText('solo');
  await expect(dialog.getByRole('list', { name: 'Errors' })).toContainText('give a namespace');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(openDialog(page)).toHaveCount(0);
  const jobs = (await berth.http('GET', '/v1/jobs/')).body as { results: JobView[] };
  expect(jobs.results[0]).toMatchObject({ kind: 'import', state: 'succeeded', progress: { done: 3, total: 3 } });

  // The linked repo: its tags (filtered), their registry facts, its link and the real pull line.
  await openRepo(page, 'team', 'app');
  await expect(detail(page).getByRole('table', { name: 'Tags of team/app' }).getByRole('row')).toHaveCount(3);
  await expect(tagRow(page, '1.0')).toBeVisible();
  await expect(tagRow(page, '1.1')).toBeVisible();
  await expect(tagRow(page, '1.0')).toContainText(first.digest.slice(7, 19));
  await expect(tagRow(page, '1.0')).toContainText('from local');
  await expect(tagRow(page, '1.0')).toContainText(/\d+ B/);
  const panel = linkPanel(page);
  await expect(panel).toContainText('local');
  await expect(panel).toContainText('team/app');
  await expect(panel.locator('time')).toHaveAttribute('title', /\(\d{4}-\d\d-\d\dT/);
  await expect(panel.getByText(/^docker pull /)).toHaveText(new RegExp(`^docker pull 127\\.0\\.0\\.1:${registry.port}/team/app:1\\.[01]$`));
  await tagRow(page, '1.1').getByRole('button', { name: 'Copy pull command for 1.1' }).click();
  await expect.poll(() => readClipboard(page)).toBe(`docker pull 127.0.0.1:${registry.port}/team/app:1.1`);

  // A push to the registry, then Sync now: the new tag arrives, and the one filtered out before too.
  await pushImage(target, 'team/app', ['2.0'], second);
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await expect(jobSummary(panel)).toHaveText(/^Finished: 4 of 4 tags\.$/);
  await expect(tagRow(page, '2.0')).toContainText(second.digest.slice(7, 19));
  await expect(tagRow(page, 'dev')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Sync now' })).toBeEnabled();

  // A repo made in Berth is catalogue-only: no pull line at all, until it is linked.
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'cli' })).status).toBe(201);
  await openRepo(page, 'acme', 'cli');
  await expect(linkPanel(page)).toContainText('Catalogue only');
  await expect(detail(page).getByText(/docker pull|127\.0\.0\.1/)).toHaveCount(0);
  await linkPanel(page).getByRole('button', { name: 'Link to a registry…' }).click();
  const link = openDialog(page);
  await expect(link.getByLabel('Registry')).toHaveValue('local');
  await link.getByLabel('Remote repository').fill('tools/cli');
  await link.getByRole('button', { name: 'Link' }).click();
  await expect(openDialog(page)).toHaveCount(0);
  await expect(linkPanel(page)).toContainText('never synced');
  await linkPanel(page).getByRole('button', { name: 'Sync now' }).click();
  await expect(tagRow(page, 'latest')).toBeVisible();
  await expect(linkPanel(page).getByText(/^docker pull /)).toHaveText(`docker pull 127.0.0.1:${registry.port}/tools/cli:latest`);

  // Unlink, confirmed: the tags stay, the pull line goes.
  await linkPanel(page).getByRole('button', { name: 'Unlink…' }).click();
  await openDialog(page).getByRole('button', { name: 'Unlink' }).click();
  await expect(linkPanel(page)).toContainText('Catalogue only');
  await expect(tagRow(page, 'latest')).toBeVisible();
  expect((await berth.http('GET', '/v1/repositories/acme/cli/link')).status).toBe(404);
});

test('a push to the registry shows up in the open window, without a reload, through its notifications', async ({ berth }) => {
  test.setTimeout(90_000);
  const { page } = berth;
  const registry = await connectRegistry(berth, { events: true });
  await pushImage({ url: registry.url }, 'team/app', ['1.0'], first);

  // The Live updates panel hands out the very YAML the registry runs with.
  await registriesSection(page).getByRole('button', { name: 'local', exact: true }).click();
  await page.getByRole('button', { name: 'Live updates…' }).click();
  const config = (await berth.http('GET', '/v1/registries/local/events-config')).body as EventsConfigView;
  await expect(openDialog(page).getByRole('region', { name: 'Notifications settings for config.yml' })).toHaveText(config.yaml);
  await page.keyboard.press('Escape');

  const imported = (await berth.http('POST', '/v1/registries/local/imports', { repositories: ['team/app'] })).body as JobView;
  await expect.poll(async () => ((await berth.http('GET', `/v1/jobs/${imported.id}`)).body as JobView).state).toBe('succeeded');
  await openRepo(page, 'team', 'app');
  await expect(tagRow(page, '1.0')).toBeVisible();
  await expect(detailTab(page, 'Tags')).toContainText('1');
  // A mark on this page: still there afterwards means the window was never reloaded.
  await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));

  await pushImage({ url: registry.url }, 'team/app', ['2.0'], second);
  // The registry delivers its events on its own schedule (a queue, slower on a loaded machine), so
  // the wait is generous; how fast an event reaches the window is measured by the benchmark.
  await expect(tagRow(page, '2.0')).toBeVisible({ timeout: 20_000 });
  await expect(tagRow(page, '2.0')).toContainText(second.digest.slice(7, 19));
  await expect(detailTab(page, 'Tags')).toContainText('2');
  expect(await page.evaluate(() => (globalThis as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
  // It came as an event, not by a sync: the import is still the only job.
  const jobs = (await berth.http('GET', '/v1/jobs/')).body as { results: JobView[] };
  expect(jobs.results.map((j) => j.id)).toEqual([imported.id]);
});

test.describe('cancelling', () => {
  /** Resolved once the window's Cancel has reached the backend. */
  let cancelAsked: () => void = () => {};
  test.use({
    berthOptions: {
      intercept: async (call, next) => {
        const answer = await next(call);
        if (call.operation === 'cancelJob') cancelAsked();
        return answer;
      },
    },
  });

  test('cancel an import: what was done stays, the rest is left', async ({ berth }) => {
    test.setTimeout(90_000);
    const { page } = berth;
    const registry = await startRegistry();
    running.push(registry);
    const names = Array.from({ length: 24 }, (_, i) => `team/r${i}`);
    for (const name of names) await pushImage({ url: registry.url }, name, ['1.0'], first);
    // Every repository's own requests wait until the import is cancelled (the catalogue goes through).
    const proxy = await gatedProxy(registry, (path) => path.startsWith('/v2/team/'));
    expect((await berth.http('POST', '/v1/registries/?verify=false', { name: 'slow', url: proxy.url })).status).toBe(201);

    await registriesSection(page).getByRole('button', { name: 'slow', exact: true }).click();
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = openDialog(page);
    await dialog.getByRole('radio', { name: /^Every repository/ }).check();
    await expect(dialog.getByRole('radio', { name: /^Every repository/ })).toHaveAccessibleName(/\(24\)/);
    await dialog.getByRole('button', { name: 'Start import' }).click();
    const bar = dialog.getByRole('progressbar', { name: 'Import progress' });
    await expect(bar).toHaveAttribute('max', '24');
    await expect(jobSummary(dialog)).toHaveText('0 of 24 repositories…');
    // Jobs in progress show in the status bar too.
    await expect(page.getByRole('button', { name: '1 job running' })).toBeVisible();
    const asked = new Promise<void>((resolve) => (cancelAsked = resolve));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await asked;
    proxy.release();
    await expect(jobSummary(dialog)).toHaveText(/^Cancelled after \d+ of 24 repositories; what was done stays\.$/, { timeout: 20_000 });
    await expect(bar).toHaveCount(0);
    const job = ((await berth.http('GET', '/v1/jobs/')).body as { results: JobView[] }).results[0]!;
    expect(job.state).toBe('cancelled');
    expect(job.progress.done).toBeLessThan(24);
    // What was imported before the cancel stays; a repository caught half-read, or not started, was
    // left (nothing of it written), so the namespace holds exactly the repositories counted as done.
    const answer = await berth.http('GET', '/v1/repositories/team/?page_size=100');
    const local = answer.status === 404 ? 0 : (answer.body as { count: number }).count;
    expect(local).toBe(job.progress.done - job.errors.length);
    expect(local).toBeLessThan(24);
    await expect(page.getByRole('button', { name: 'Jobs' })).toBeVisible();
  });
});

test("a long-named tag's registry facts are shown whole at 720, 1024 and 1920 px", async ({ berth }) => {
  test.setTimeout(90_000);
  const { page } = berth;
  const LONG_REPO = `r${'r'.repeat(249)}`; // team/ + 250 = a 255-character path
  const LONG_TAG = `t${'t'.repeat(127)}`; // 128 characters
  const registry = await connectRegistry(berth);
  const arm = buildImage({ format: 'oci', architecture: 'arm64', variant: 'v8', layers: [{ 'c.txt': 'arm\n' }] });
  const index = buildIndex('oci', [first, arm]);
  await pushIndex({ url: registry.url }, `team/${LONG_REPO}`, [LONG_TAG, 'latest'], index, [first, arm]);
  const imported = (await berth.http('POST', '/v1/registries/local/imports', { repositories: [`team/${LONG_REPO}`] })).body as JobView;
  await expect.poll(async () => ((await berth.http('GET', `/v1/jobs/${imported.id}`)).body as JobView).state).toBe('succeeded');
  await openRepo(page, 'team', LONG_REPO);

  type Box = { x: number; y: number; width: number; height: number };
  const inside = (inner: Box | null, outer: Box) =>
    inner !== null &&
    inner.x >= outer.x - 1 &&
    inner.y >= outer.y - 1 &&
    inner.x + inner.width <= outer.x + outer.width + 1 &&
    inner.y + inner.height <= outer.y + outer.height + 1;
  const row = tagRow(page, LONG_TAG);
  const facts = row.getByRole('cell').filter({ hasText: 'from local' });
  /** What is cut or drawn over something else in the long tag's row, as it is on screen now. */
  async function problems(): Promise<string[]> {
    const found: string[] = [];
    const rowBox = await row.boundingBox();
    const paneBox = await detail(page).boundingBox();
    const otherBox = await tagRow(page, 'latest').boundingBox();
    if (!rowBox || !paneBox || !otherBox) return ['a row or the pane is not on screen'];
    const pane = { ...paneBox, height: Number.MAX_SAFE_INTEGER };
    // Each fact lies whole inside its row, and the row inside the pane.
    for (const item of await facts.locator('> *').all()) {
      const text = await item.textContent();
      if (!inside(await item.boundingBox(), rowBox)) found.push(`"${text}" outside its row`);
      if (!(await item.evaluate((e) => e.scrollWidth <= e.clientWidth + 1))) found.push(`"${text}" cut`);
    }
    if (!inside(rowBox, pane)) found.push('the row outside the pane');
    if (otherBox.y < rowBox.y + rowBox.height - 1 && rowBox.y < otherBox.y + otherBox.height - 1) found.push('the rows overlap');
    // The buttons stay in the pane, however long the tag.
    for (const name of [`Copy pull command for ${LONG_TAG}`, `Delete tag ${LONG_TAG}`]) {
      if (!inside(await row.getByRole('button', { name }).boundingBox(), pane)) found.push(`${name.slice(0, 17)}… outside the pane`);
    }
    // Where the header shows its titles (a wide pane), each stands over its column.
    const heading = detail(page).getByRole('columnheader', { name: 'Image ID' });
    if (await heading.isVisible()) {
      const idCell = row.getByRole('cell').filter({ has: page.getByRole('button', { name: /^Copy image ID/ }) });
      const [head, cell] = [await heading.boundingBox(), await idCell.boundingBox()];
      if (!head || !cell || Math.abs(head.x - cell.x) > 2) found.push(`"Image ID" at x=${head?.x}, its column at x=${cell?.x}`);
    }
    return found;
  }
  for (const width of [1920, 1024, 720]) {
    await page.setViewportSize({ width, height: 800 });
    await expect(facts).toContainText(/\d+ B/);
    await expect(facts).toContainText('linux/amd64, linux/arm64/v8');
    await row.scrollIntoViewIfNeeded();
    // Polled: the rows are laid out again (and measured) once the pane has its new width.
    await expect.poll(problems, { message: `the long tag's row at ${width} px` }).toEqual([]);
  }
});
