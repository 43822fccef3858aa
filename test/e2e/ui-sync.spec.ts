/**
 * A user ties Berth's catalogue to a real docker-registry from the window: imports two
 * repositories with a tag filter (one bad item among them) and reads the summary, finds the
 * linked repo's link panel and its real pull line, syncs after a push, links a catalogue-only repo,
 * sees a push arrive live through the registry's notifications, and cancels a slow import.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import type { EventsConfigView, JobView } from '../../main/contract/types';
import { expect, test, type BerthFixture } from '../harness/fixtures';
import { buildImage } from '../registries/rig/images';
import { pushImage } from '../registries/rig/pusher';
import { startRegistry, type RunningRegistry } from '../registries/rig/registry-process';
import { registriesSection } from './registry-support';
import { detail, openDialog, readClipboard, repoOption, selectNamespace } from './ui-support';

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

/** Stands between Berth and the registry and holds each request a moment, so an import runs long enough to cancel. */
async function slowProxy(target: RunningRegistry, delayMs: number): Promise<{ url: string }> {
  const server: Server = createServer((req, res) => {
    setTimeout(() => {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function openRepo(page: Page, namespace: string, repoName: string): Promise<void> {
  await selectNamespace(page, namespace);
  await repoOption(page, repoName).click();
  await expect(detail(page).getByRole('heading', { name: `${namespace}/${repoName}` })).toBeVisible();
}

const tagRow = (page: Page, tag: string) => detail(page).getByRole('row', { name: new RegExp(`^${tag.replace(/\./g, '\\.')}\\b`) });
const linkPanel = (page: Page) => detail(page).getByRole('region', { name: 'Registry link' });

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

  await expect(dialog.getByRole('status')).toHaveText('Finished: 3 of 3 repositories, 1 with errors.');
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
  await expect(panel.getByRole('status')).toHaveText(/^Finished: 4 of 4 tags\.$/);
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

test('a push to the registry reaches the open window within a second, through its notifications', async ({ berth }) => {
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

  await pushImage({ url: registry.url }, 'team/app', ['2.0'], second);
  // The registry delivers its events on its own schedule (a queue, slower on a loaded machine): once
  // Berth has applied the push, the open window shows it within a second, polled often (Playwright's
  // own retries back off too far apart to judge a second).
  await expect
    .poll(async () => ((await berth.http('GET', '/v1/repositories/team/app/tags')).body as { tag: string }[]).map((t) => t.tag), {
      timeout: 15_000,
      intervals: [25],
    })
    .toContain('2.0');
  await expect.poll(() => tagRow(page, '2.0').count(), { timeout: 1_000, intervals: [25] }).toBe(1);
  await expect(tagRow(page, '2.0')).toContainText(second.digest.slice(7, 19));
});

test('cancel an import: what was done stays, the rest is left', async ({ berth }) => {
  test.setTimeout(90_000);
  const { page } = berth;
  const registry = await startRegistry();
  running.push(registry);
  const names = Array.from({ length: 24 }, (_, i) => `team/r${i}`);
  for (const name of names) await pushImage({ url: registry.url }, name, ['1.0'], first);
  const proxy = await slowProxy(registry, 400);
  expect((await berth.http('POST', '/v1/registries/?verify=false', { name: 'slow', url: proxy.url })).status).toBe(201);

  await registriesSection(page).getByRole('button', { name: 'slow', exact: true }).click();
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = openDialog(page);
  await dialog.getByRole('radio', { name: /^Every repository/ }).check();
  await expect(dialog.getByRole('radio', { name: /^Every repository/ })).toHaveAccessibleName(/\(24\)/);
  await dialog.getByRole('button', { name: 'Start import' }).click();
  const bar = dialog.getByRole('progressbar', { name: 'Import progress' });
  await expect(bar).toHaveAttribute('max', '24');
  // Jobs in progress show in the status bar too.
  await expect(page.getByRole('button', { name: '1 job running' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^Cancelled after \d+ of 24 repositories; what was done stays\.$/);
  await expect(bar).toHaveCount(0);
  const job = ((await berth.http('GET', '/v1/jobs/')).body as { results: JobView[] }).results[0]!;
  expect(job.state).toBe('cancelled');
  expect(job.progress.done).toBeLessThan(24);
  await expect(page.getByRole('button', { name: 'Jobs' })).toBeVisible();
});
