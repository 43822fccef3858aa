/**
 * A user connects a real registry (docker-registry, started here) in the window and browses it:
 * the catalogue and its filter, a repository's tags with digest, size, created and platforms,
 * a manifest and its platforms, an image's labels, the pull line by digest, deleting a tag that
 * shares its image, and a registry's own error message in a toast (a connection refused, and a
 * delete the registry itself refuses). Registry traffic leaves from main only.
 */
import { createServer } from 'node:net';
import { expect, test } from '../harness/fixtures';
import { openDialog, readClipboard } from './ui-support';
import { pushImage } from '../registries/rig/pusher';
import { startRegistry } from '../registries/rig/registry-process';
import { catalogue, registriesSection, repositoryDetail, startSeededRegistry, tagRow, type SeededRegistry } from './registry-support';

let seeded: SeededRegistry;

/** A size as the window writes it (decimal units, as Docker does), worked out here independently. */
function dockerSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(bytes / 1000)} kB`;
}

test.beforeAll(async () => {
  seeded = await startSeededRegistry({ manyTags: 300 });
});

test.afterAll(async () => {
  await seeded?.registry.stop();
});

test('add a registry, browse it, read a multi-platform manifest, copy its pull line and delete a tag', async ({ berth }) => {
  test.setTimeout(120_000);
  const { page } = berth;
  const { registry, app, index, arm } = seeded;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(berth.appUrl).origin });
  const requestsFromPage: string[] = [];
  page.on('request', (request) => requestsFromPage.push(request.url()));

  // Add it: the dialog checks the registry before saving.
  await registriesSection(page).getByRole('button', { name: 'Add registry' }).click();
  const dialog = openDialog(page);
  await dialog.getByLabel('Name', { exact: true }).fill('local');
  await dialog.getByLabel('URL').fill(registry.url);
  await dialog.getByRole('button', { name: 'Add registry' }).click();
  await expect(dialog).toHaveCount(0);
  const entry = registriesSection(page).getByRole('button', { name: 'local', exact: true });
  await expect(entry).toHaveAttribute('aria-current', 'true');
  await expect(entry).toHaveAccessibleDescription(`Connected: Connected to registry 127.0.0.1:${registry.port} anonymously.`);
  await expect(page.getByText(`Connected to registry 127.0.0.1:${registry.port} anonymously.`).first()).toBeVisible();

  // The catalogue, and its filter.
  const list = catalogue(page, 'local');
  await expect(list.getByRole('option')).toHaveText([
    'edge/proxy',
    'team/app',
    'team/many',
    'team/multi',
    'team/web',
    'team/worker',
    'tools/cli',
  ]);
  await page.getByRole('searchbox', { name: 'Filter repositories' }).fill('mul');
  await expect(list.getByRole('option')).toHaveText(['team/multi']);

  // A repository's tags: digest, size, platforms, read for the rows on screen.
  await list.getByRole('option', { name: 'team/multi' }).click();
  await expect(tagRow(page, 'stable')).toContainText(index.digest.slice(7, 19));
  await expect(tagRow(page, 'v1')).toContainText('linux/amd64, linux/arm64/v8');
  await expect(tagRow(page, 'v1')).toContainText('2 days ago');

  // The manifest panel: platforms of the index, then one platform's layers and config.
  await tagRow(page, 'v1').getByRole('button', { name: 'Details of v1' }).click();
  const panel = page.getByRole('region', { name: 'team/multi:v1' });
  await expect(panel.getByRole('table', { name: 'Platforms' }).getByRole('row')).toHaveCount(3);
  await panel.getByRole('button', { name: 'Copy pull command of v1' }).click();
  expect(await readClipboard(page)).toBe(`docker pull 127.0.0.1:${registry.port}/team/multi@${index.digest}`);
  await panel.getByRole('button', { name: 'Copy digest of v1' }).click();
  expect(await readClipboard(page)).toBe(index.digest);
  await panel.getByRole('button', { name: 'Open linux/arm64/v8' }).click();
  const platform = page.getByRole('region', { name: 'team/multi:v1 — linux/arm64/v8' });
  await expect(platform.getByRole('table', { name: 'Layers (1)' })).toContainText(arm.layers[0]!.digest.slice(7, 19));
  await expect(platform.getByText(arm.digest, { exact: true })).toBeVisible();
  await platform.getByRole('button', { name: 'Back to the index' }).click();
  await expect(page.getByRole('region', { name: 'team/multi:v1' })).toBeVisible();

  // An image's row shows its size (config and layers), and its manifest panel its labels.
  await page.getByRole('searchbox', { name: 'Filter repositories' }).fill('');
  await list.getByRole('option', { name: 'team/app' }).click();
  const appSize = app.config.size + app.layers.reduce((sum, layer) => sum + layer.size, 0);
  await expect(tagRow(page, '1.0').getByRole('cell').nth(1)).toHaveText(dockerSize(appSize));
  await tagRow(page, '1.0').getByRole('button', { name: 'Details of 1.0' }).click();
  const image = page.getByRole('region', { name: 'team/app:1.0' });
  const label = (key: string) => image.locator('.labels > div').filter({ has: page.getByText(key, { exact: true }) });
  await expect(label('org.opencontainers.image.title').locator('dd')).toHaveText('app');
  await expect(label('org.opencontainers.image.source').locator('dd')).toHaveText('https://git.example.com/team/app');

  // Deleting a tag whose image another tag shares names both, and deletes both.
  await expect(tagRow(page, 'latest')).toContainText(app.digest.slice(7, 19));
  await tagRow(page, 'latest').getByRole('button', { name: 'Delete tag latest' }).click();
  const confirm = openDialog(page);
  await expect(confirm.getByRole('list', { name: 'Tags that will be deleted' }).getByRole('listitem')).toHaveText(['1.0', 'latest']);
  await expect(confirm.getByText(app.digest)).toBeVisible();
  await confirm.getByRole('button', { name: 'Delete 2 tags' }).click();
  await expect(page.getByRole('status').getByText('Tags 1.0, latest deleted from team/app.')).toBeVisible();
  await expect(repositoryDetail(page).getByRole('row')).toHaveCount(2);
  await expect(tagRow(page, 'dev')).toBeVisible();
  const tags = await berth.http('GET', '/v1/registries/local/tags?repository=team/app');
  expect(tags.body).toEqual({ repository: 'team/app', results: ['dev'], next: null });

  // Every registry request went through main: the page itself never called the registry.
  expect(requestsFromPage.filter((url) => url.startsWith(registry.url))).toEqual([]);
});

test('only the tag rows on screen read their manifests', async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('POST', '/v1/registries/', { name: 'local', url: seeded.registry.url })).status).toBe(201);
  await registriesSection(page).getByRole('button', { name: 'local', exact: true }).click();
  await catalogue(page, 'local').getByRole('option', { name: 'team/many' }).click();
  await expect(tagRow(page, 'v0000')).toContainText(seeded.other.digest.slice(7, 19));
  const manifestReads = () => berth.calls().filter((op) => op === 'getRegistryManifest').length;
  await expect.poll(manifestReads).toBeGreaterThan(5);
  const onScreen = manifestReads();
  expect(onScreen).toBeLessThan(60);
  // Scrolling to the end reads the rows that come on screen there, not the 300 in between.
  await repositoryDetail(page)
    .locator('.registry-tags-scroll')
    .evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(tagRow(page, 'v0299')).toContainText(seeded.other.digest.slice(7, 19));
  expect(manifestReads()).toBeLessThan(onScreen + 60);
});

test("a registry's own error reaches a toast; edit and remove a connection", async ({ berth }) => {
  const { page } = berth;
  // A port nothing listens on, saved without the check.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  expect((await berth.http('POST', '/v1/registries/?verify=false', { name: 'gone', url: `http://127.0.0.1:${port}` })).status).toBe(201);
  const entry = registriesSection(page).getByRole('button', { name: 'gone', exact: true });
  await expect(entry).toHaveAccessibleDescription('Not checked: Not checked yet: saved without a check.');

  await entry.click();
  // The toast and the list both say what the registry (here: its absence) said.
  await expect(page.locator('.toast-error').getByText(/refused the connection/)).toBeVisible();
  await expect(entry).toHaveAccessibleDescription(/^Not reachable: .*refused the connection/);

  // Point it at the real registry: saved after the check, and the catalogue reads.
  await registriesSection(page).getByRole('button', { name: 'Edit registry gone' }).click();
  await openDialog(page).getByLabel('URL').fill(seeded.registry.url);
  await openDialog(page).getByRole('button', { name: 'Save' }).click();
  await expect(openDialog(page)).toHaveCount(0);
  await expect(catalogue(page, 'gone').getByRole('option', { name: 'team/app' })).toBeVisible();
  await expect(entry).toHaveAccessibleDescription(/^Connected: /);

  // A wrong URL in the dialog: the registry's refusal shows there, nothing is saved.
  await registriesSection(page).getByRole('button', { name: 'Edit registry gone' }).click();
  await openDialog(page).getByLabel('URL').fill('http://registry.example.com');
  await openDialog(page).getByRole('button', { name: 'Save' }).click();
  await expect(openDialog(page).getByText('uses plain http: that needs insecure: true (or a loopback host).')).toBeVisible();
  await page.keyboard.press('Escape');

  // A registry that refuses the operation itself (deletes off): the toast quotes what it said,
  // and the tag stays.
  const readonly = await startRegistry({ deleteEnabled: false });
  try {
    await pushImage({ url: readonly.url }, 'team/app', ['keep'], seeded.other);
    expect((await berth.http('POST', '/v1/registries/', { name: 'readonly', url: readonly.url })).status).toBe(201);
    await registriesSection(page).getByRole('button', { name: 'readonly', exact: true }).click();
    await catalogue(page, 'readonly').getByRole('option', { name: 'team/app' }).click();
    await tagRow(page, 'keep').getByRole('button', { name: 'Delete tag keep' }).click();
    await openDialog(page).getByRole('button', { name: 'Delete tag' }).click();
    const refused = page.locator('.toast-error').filter({ hasText: 'UNSUPPORTED: The operation is unsupported.' });
    await expect(refused).toBeVisible();
    await expect(refused).toContainText(`registry 127.0.0.1:${readonly.port} refuses to delete manifests`);
    await expect(refused).toContainText('storage.delete.enabled: true');
    await page.keyboard.press('Escape');
    await expect(tagRow(page, 'keep')).toBeVisible();
    expect((await berth.http('GET', '/v1/registries/readonly/tags?repository=team/app')).body).toMatchObject({ results: ['keep'] });
    expect((await berth.http('DELETE', '/v1/registries/readonly')).status).toBe(204);
  } finally {
    await readonly.stop();
  }

  await registriesSection(page).getByRole('button', { name: 'Remove registry gone' }).click();
  await openDialog(page).getByRole('button', { name: 'Remove registry' }).click();
  await expect(registriesSection(page).getByText('Connect a registry')).toBeVisible();
  expect((await berth.http('GET', '/v1/registries/gone')).status).toBe(404);
});
