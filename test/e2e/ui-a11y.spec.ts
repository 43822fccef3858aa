/**
 * Every view, in the light and the dark theme: axe-core finds no serious or critical violation,
 * and a screenshot of each lands in test-results/screenshots/ (the README and docs/ show some).
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Page } from '@playwright/test';
import type { RegistryService } from '../../main/registry/service';
import { expect, test } from '../harness/fixtures';
import {
  IMAGE_A,
  IMAGE_B,
  detail,
  detailTab,
  globalSearch,
  openDialog,
  repoOption,
  searchResults,
  selectNamespace,
  seriousViolations,
  sidebar,
  tagRow,
} from './ui-support';
import { catalogue, registriesSection, startSeededRegistry, tagRow as registryTagRow, type SeededRegistry } from './registry-support';

const SHOTS = 'test-results/screenshots';

async function seed(registry: RegistryService): Promise<void> {
  const repos = [
    { repo_name: 'web', description: 'Shop front end (Next.js)', is_public: true },
    { repo_name: 'api', description: 'Orders and payments API', is_public: true },
    { repo_name: 'worker', description: 'Background jobs', is_public: false },
    { repo_name: 'postgres-backup', description: 'Nightly dumps to object storage', is_public: false },
    { repo_name: 'edge-proxy', description: 'Envoy with our filters', is_public: true },
  ];
  for (const repo of repos) await registry.createRepo('acme', repo);
  await registry.updateRepo('acme', 'web', {
    full_description: [
      '# web',
      '',
      'The shop front end. Build and run it locally:',
      '',
      '```sh',
      'docker run -p 3000:3000 registry.example.com/acme/web:latest',
      '```',
      '',
      '| Variable | Meaning |',
      '|---|---|',
      '| `API_URL` | Where the orders API listens |',
      '',
      'See the [runbook](https://example.com/runbook).',
    ].join('\n'),
  });
  for (const tag of ['1.0.0', '1.1.0', '1.2.0', '1.2.1', '2.0.0-rc1']) await registry.putTag('acme', 'web', tag, IMAGE_A);
  await registry.putTag('acme', 'web', 'latest', IMAGE_B);
  await registry.putTag('acme', 'web', 'stable', IMAGE_B);
  await registry.putTag('acme', 'web', 'canary', IMAGE_B);
  await registry.setStar('acme', 'web', true);
  await registry.recordPull('acme', 'web', 'latest');
  // Build settings, as the hosted service's clients set them.
  await registry.updateRepo('acme', 'api', {
    build_config: {
      code_repo_client: 'Simple',
      code_repo_clone_url: 'https://git.example.com/acme/api.git',
      tag_configs: [
        { code_repo_type: 'branch', code_repo_type_value: 'main', docker_repo_tag: 'latest', dockerfile_location: '/', is_active: true },
      ],
    },
  });
  await registry.createRepo('tools', { repo_name: 'cli', description: 'Command-line helpers' });
  await registry.createNamespace('empty-team');
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });

/**
 * Screenshot, then axe: on the open dialog when there is one (the window behind it is inert and
 * checked on its own), else on `within` (the part of the window that changed) or the whole window.
 * `axe: false` only takes the screenshot, for a view that differs from one already checked by
 * its text alone.
 */
async function check(page: Page, view: string, theme: string, options: { within?: string; axe?: boolean } = {}): Promise<void> {
  // Let transitions and live refreshes settle before judging and capturing; no hover effects in the picture.
  await page.mouse.move(1, 1);
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${SHOTS}/${view}-${theme}.png` });
  if (options.axe === false) return;
  const within = (await openDialog(page).count()) > 0 ? 'dialog[open]' : options.within;
  expect(await seriousViolations(page, within ? { within } : {}), `axe on the ${view} view (${theme})`).toEqual([]);
}

const DETAIL = '[data-pane="detail"]';

for (const theme of ['light', 'dark'] as const) {
  test(`every view passes axe in the ${theme} theme`, async ({ berth }) => {
    // Some twenty-five axe runs on two cores: allow for them (they take a few seconds each, and up to
    // twelve under a load of 19, where 5 minutes ran out).
    test.setTimeout(480_000);
    const { page } = berth;
    await mkdir(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

    // Main view: namespaces, repos, a repo's detail on its Overview tab (the rendered full description).
    await expect(sidebar(page).getByRole('button', { name: /^acme/ })).toHaveAttribute('aria-current', 'true');
    await repoOption(page, 'web').click();
    await expect(detail(page).getByRole('heading', { name: 'acme/web' })).toBeVisible();
    await expect(detail(page).getByRole('heading', { name: 'web', level: 1 })).toBeVisible();
    await check(page, 'main', theme);

    // Full description editor, in write and preview mode.
    await detail(page).getByRole('button', { name: 'Edit full description' }).click();
    await check(page, 'full-description-write', theme, { within: DETAIL });
    await detail(page).getByRole('tab', { name: 'Preview' }).click();
    await check(page, 'full-description-preview', theme, { within: DETAIL });

    // Leaving a changed draft asks first.
    await detail(page).getByRole('tab', { name: 'Write' }).click();
    await detail(page).getByRole('textbox', { name: 'Full description (Markdown)' }).fill('# web\n\nA change not saved yet');
    await repoOption(page, 'api').click();
    await expect(openDialog(page).getByRole('heading', { name: 'Discard unsaved changes?' })).toBeVisible();
    await check(page, 'discard-changes', theme);
    await openDialog(page).getByRole('button', { name: 'Keep editing' }).click();
    await detail(page).getByRole('button', { name: 'Cancel' }).click();

    // Description edited in place.
    await detail(page).getByRole('button', { name: 'Edit description' }).click();
    await check(page, 'description-edit', theme, { within: DETAIL });
    // Saving over a change another program made meanwhile asks first.
    await detail(page).getByRole('textbox', { name: 'Description' }).fill('Shop front end');
    const original = 'Shop front end (Next.js)';
    expect((await berth.http('PATCH', '/v1/repositories/acme/web', { description: 'Shop front end, as a tool wrote it' })).status).toBe(
      200,
    );
    await detail(page).getByRole('textbox', { name: 'Description' }).press('Enter');
    await expect(openDialog(page).getByRole('heading', { name: 'The description was changed elsewhere' })).toBeVisible();
    await check(page, 'save-conflict', theme);
    await openDialog(page).getByRole('button', { name: 'Keep editing' }).click();
    await page.keyboard.press('Escape');
    // Back as it was, for the views that follow.
    expect((await berth.http('PATCH', '/v1/repositories/acme/web', { description: original })).status).toBe(200);
    await expect(detail(page).getByText(original, { exact: true })).toBeVisible();

    // Create-repo dialog showing a validation message, then its namespace picker open.
    await page.keyboard.press('Control+n');
    await page.getByLabel('Repository name').fill('Not Valid!');
    await expect(openDialog(page).getByText(/are not allowed/)).toBeVisible();
    await check(page, 'create-repo', theme);
    await openDialog(page).getByRole('combobox', { name: 'Namespace' }).fill('ac');
    await expect(openDialog(page).getByRole('option', { name: 'Create namespace “ac”' })).toBeVisible();
    await check(page, 'namespace-picker', theme);
    await page.keyboard.press('Escape'); // closes the list
    await page.keyboard.press('Escape'); // closes the dialog

    // Delete-repo confirmation; the visibility question.
    await detail(page).getByRole('button', { name: 'Delete repository…' }).click();
    await check(page, 'delete-repo', theme);
    await page.keyboard.press('Escape');
    await detail(page).getByRole('button', { name: 'Make private…' }).click();
    await check(page, 'make-private', theme, { axe: false });
    await page.keyboard.press('Escape');

    // The Tags tab: filter, sort, two tags selected; then the delete confirmations.
    await detailTab(page, 'Tags').click();
    await expect(tagRow(page, 'canary')).toBeVisible();
    await tagRow(page, '1.2.1').getByRole('checkbox').check();
    await tagRow(page, '1.2.0').getByRole('checkbox').check();
    await check(page, 'tags', theme, { within: DETAIL });
    await detail(page).getByRole('button', { name: 'Delete 2 tags…' }).click();
    await check(page, 'delete-tags', theme);
    await page.keyboard.press('Escape');
    await detail(page).getByRole('button', { name: 'Clear selection' }).click();
    await tagRow(page, 'canary').getByRole('button', { name: 'Delete tag canary' }).click();
    await check(page, 'delete-tag', theme, { axe: false });
    await page.keyboard.press('Escape');

    // A toast (a tag added).
    const form = page.getByRole('form', { name: 'Add or move a tag' });
    await form.getByLabel('Tag').fill('2.0.0');
    await form.getByLabel('Image ID').fill(IMAGE_A);
    await form.getByRole('button', { name: 'Add tag' }).click();
    await expect(page.getByRole('status').getByText('Tag 2.0.0 added.')).toBeVisible();
    await check(page, 'toast', theme, { within: '.toasts' });
    await detailTab(page, 'Overview').click();

    // Settings, with the token shown.
    await page.getByRole('button', { name: 'Settings' }).click();
    await openDialog(page).getByRole('button', { name: 'Show token' }).click();
    await expect(openDialog(page).getByText(berth.token)).toBeVisible();
    await check(page, 'settings', theme);
    await page.keyboard.press('Escape');

    // Deleting a namespace that still has repos.
    await page.getByRole('button', { name: 'Delete namespace…' }).click();
    await check(page, 'delete-namespace', theme);
    await page.keyboard.press('Escape');

    // New namespace dialog.
    await sidebar(page).getByRole('button', { name: 'New namespace' }).click();
    await check(page, 'create-namespace', theme);
    await page.keyboard.press('Escape');

    // An empty namespace, and a search with no match.
    await selectNamespace(page, 'empty-team');
    await expect(page.getByRole('heading', { name: 'No repositories yet' })).toBeVisible();
    await check(page, 'empty-namespace', theme, { within: '[data-pane="repos"]' });
    await selectNamespace(page, 'acme');
    await page.getByRole('searchbox', { name: 'Search repositories' }).fill('nothing-like-this');
    await expect(page.getByRole('heading', { name: 'No matches' })).toBeVisible();
    await check(page, 'no-matches', theme, { within: '[data-pane="repos"]' });

    // Search across namespaces, with results open and one highlighted.
    await globalSearch(page).fill('e');
    await expect(searchResults(page).getByRole('option').first()).toBeVisible();
    await globalSearch(page).press('ArrowDown');
    await check(page, 'search-all', theme, { within: '[data-pane="sidebar"]' });
    await globalSearch(page).fill('');

    // A repo's build settings (read-only), with their JSON open.
    await page.getByRole('button', { name: 'Clear search and filter' }).click();
    await repoOption(page, 'api').click();
    const buildSettings = detail(page).getByRole('region', { name: 'Build settings' });
    await buildSettings.getByText('All build settings (JSON)').click();
    await expect(buildSettings.locator('pre')).toBeVisible();
    await buildSettings.scrollIntoViewIfNeeded();
    await check(page, 'build-settings', theme, { within: DETAIL });

    // A narrow window: the sidebar (namespaces, registries, the trash) folds into a drawer; the Tags tab in the narrow detail.
    await page.setViewportSize({ width: 720, height: 720 });
    await repoOption(page, 'web').click();
    await detailTab(page, 'Tags').click();
    await expect(tagRow(page, 'latest')).toBeVisible();
    await check(page, 'narrow', theme);
    await page.getByRole('button', { name: 'Show namespaces' }).click();
    await expect(sidebar(page)).toBeVisible();
    await expect(sidebar(page).getByRole('button', { name: 'Trash' })).toBeVisible();
    await check(page, 'narrow-drawer', theme, { within: '[data-pane="sidebar"]' });
    await page.keyboard.press('Escape');
    await detailTab(page, 'Overview').click();
  });

  test(`history, Undo and the trash pass axe in the ${theme} theme`, async ({ berth }) => {
    test.setTimeout(180_000);
    const { page } = berth;
    await mkdir(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);

    // A repo's History tab, with Restore on its tag entries.
    await repoOption(page, 'web').click();
    await detailTab(page, 'History').click();
    const history = detail(page).getByRole('region', { name: 'History' });
    await expect(history.getByRole('button', { name: /^Restore tag canary/ })).toBeVisible();
    await check(page, 'history', theme, { within: DETAIL });

    // The Undo toast after deleting a tag.
    await detailTab(page, 'Tags').click();
    await tagRow(page, 'canary').getByRole('button', { name: 'Delete tag canary' }).click();
    await openDialog(page).getByRole('button', { name: 'Delete tag' }).click();
    await expect(page.getByRole('status').getByRole('button', { name: 'Undo' })).toBeVisible();
    await check(page, 'undo-toast', theme);

    // The trash, with a deleted repo in it, and its confirmation to delete for good.
    expect((await berth.http('DELETE', '/v1/repositories/acme/edge-proxy')).status).toBe(204);
    await sidebar(page).getByRole('button', { name: 'Trash' }).click();
    await expect(openDialog(page).getByRole('row', { name: /^acme\/edge-proxy/ })).toBeVisible();
    await check(page, 'trash', theme);
    await openDialog(page).getByRole('button', { name: 'Delete acme/edge-proxy for good…' }).click();
    await check(page, 'trash-confirm', theme);
    await page.keyboard.press('Escape');
    await expect(openDialog(page)).toBeHidden();
  });
}

test('a fresh install (no namespaces yet) passes axe in both themes', async ({ berth }) => {
  const { page } = berth;
  await mkdir(SHOTS, { recursive: true });
  for (const namespace of ['acme', 'tools', 'empty-team'])
    expect((await berth.http('DELETE', `/v1/namespaces/${namespace}?force=true`)).status).toBe(204);
  await expect(sidebar(page).getByText('No namespaces yet')).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await check(page, 'fresh-install', theme);
  }
});

test.describe('settings in trouble', () => {
  test.use({ berthOptions: { storedSettings: { anonymous_reads: 'no' } } });

  test('a refused port and a stored setting in need of attention pass axe in both themes', async ({ berth }) => {
    const { page } = berth;
    await mkdir(SHOTS, { recursive: true });
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    try {
      await expect(page.getByRole('button', { name: 'Settings need attention…' })).toBeVisible();
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await check(page, 'settings-attention', theme);
      }
      await page.getByRole('button', { name: 'Settings need attention…' }).click();
      await openDialog(page).getByLabel('Port').fill(String(taken));
      await openDialog(page).getByRole('button', { name: 'Apply port' }).click();
      await expect(openDialog(page).getByRole('button', { name: /^Use port \d+$/ })).toBeVisible();
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await check(page, 'settings-port-refused', theme);
      }
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});

test.describe('registry views', () => {
  let seeded: SeededRegistry;
  test.beforeAll(async () => {
    seeded = await startSeededRegistry();
  });
  test.afterAll(async () => {
    await seeded?.registry.stop();
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`a registry's catalogue, tags, manifests and dialogs pass axe in the ${theme} theme`, async ({ berth }) => {
      test.setTimeout(300_000);
      const { page } = berth;
      await mkdir(SHOTS, { recursive: true });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ colorScheme: theme });
      expect((await berth.http('POST', '/v1/registries/', { name: 'local', url: seeded.registry.url })).status).toBe(201);
      // A loopback port nothing listens on: an unreachable registry, without waiting on DNS.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const closedPort = (probe.address() as { port: number }).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      expect(
        (await berth.http('POST', '/v1/registries/?verify=false', { name: 'staging', url: `http://127.0.0.1:${closedPort}` })).status,
      ).toBe(201);

      // The catalogue and a repository's tags.
      await registriesSection(page).getByRole('button', { name: 'local', exact: true }).click();
      await catalogue(page, 'local').getByRole('option', { name: 'team/app' }).click();
      await expect(registryTagRow(page, 'latest')).toContainText(seeded.app.digest.slice(7, 19));
      await expect(registryTagRow(page, 'dev')).toContainText(seeded.other.digest.slice(7, 19));
      await check(page, 'registry-tags', theme);

      // An image's manifest: config, labels, layers.
      await registryTagRow(page, 'latest').getByRole('button', { name: 'Details of latest' }).click();
      await expect(page.getByRole('table', { name: 'Layers (2)' })).toBeVisible();
      await check(page, 'registry-manifest', theme);

      // A multi-platform index.
      await catalogue(page, 'local').getByRole('option', { name: 'team/multi' }).click();
      await registryTagRow(page, 'v1').getByRole('button', { name: 'Details of v1' }).click();
      await expect(page.getByRole('table', { name: 'Platforms' })).toBeVisible();
      await check(page, 'registry-index', theme);

      // Deleting a tag that shares its image with another.
      await catalogue(page, 'local').getByRole('option', { name: 'team/app' }).click();
      await registryTagRow(page, 'latest').getByRole('button', { name: 'Delete tag latest' }).click();
      await expect(openDialog(page).getByRole('list', { name: 'Tags that will be deleted' })).toBeVisible();
      await check(page, 'registry-delete-tag', theme);
      await page.keyboard.press('Escape');

      // Import: the choice with its preview of local names, then the summary.
      await page.getByRole('button', { name: 'Import…' }).click();
      const importing = openDialog(page);
      await importing.getByRole('list', { name: 'Repositories to import' }).getByRole('checkbox', { name: 'team/app' }).check();
      await importing.getByRole('list', { name: 'Repositories to import' }).getByRole('checkbox', { name: 'team/multi' }).check();
      await importing.getByLabel('Tag filter (optional)').fill('v(');
      await expect(importing.getByRole('table', { name: 'Local names' })).toBeVisible();
      await check(page, 'registry-import', theme);
      await importing.getByLabel('Tag filter (optional)').fill('');
      await importing.getByRole('button', { name: 'Start import of 2' }).click();
      // The dialog also holds the window's toasts and announcer: the import's own summary is read.
      await expect(importing.locator('.job-summary')).toHaveText(/^Finished/);
      await check(page, 'registry-import-done', theme);
      await importing.getByRole('button', { name: 'Done' }).click();

      // Live updates: the events YAML to paste into the registry's config.yml.
      await page.getByRole('button', { name: 'Live updates…' }).click();
      await expect(openDialog(page).getByRole('region', { name: 'Notifications settings for config.yml' })).toContainText('notifications:');
      await check(page, 'registry-live-updates', theme);
      await page.keyboard.press('Escape');

      // The jobs list in the status bar.
      await page.getByRole('button', { name: 'Jobs' }).click();
      await expect(openDialog(page).getByRole('list', { name: 'Recent jobs' })).toBeVisible();
      await check(page, 'jobs', theme);
      await page.keyboard.press('Escape');

      // A linked repo: its link panel, its real pull line, its tags' registry facts; then Unlink's confirmation.
      await selectNamespace(page, 'team');
      await repoOption(page, 'multi').click();
      await detailTab(page, 'Tags').click();
      await expect(tagRow(page, 'v1')).toContainText('linux/amd64, linux/arm64/v8');
      await expect(detail(page).getByRole('region', { name: 'Registry link' })).toContainText('Sync now');
      await check(page, 'repo-linked', theme);
      await detail(page).getByRole('button', { name: 'Unlink…' }).click();
      await check(page, 'repo-unlink', theme);
      await page.keyboard.press('Escape');
      await detail(page).getByRole('button', { name: 'Change link…' }).click();
      await check(page, 'repo-link', theme);
      await page.keyboard.press('Escape');

      // A repo made in Berth: catalogue-only, no pull line, an offer to link it.
      await selectNamespace(page, 'acme');
      await repoOption(page, 'web').click();
      await expect(detail(page).getByRole('region', { name: 'Registry link' })).toContainText('Catalogue only');
      await check(page, 'repo-catalogue-only', theme, { within: DETAIL });

      // Adding a registry, with the registry's refusal shown.
      await registriesSection(page).getByRole('button', { name: 'Add registry' }).click();
      await openDialog(page).getByLabel('Name', { exact: true }).fill('Bad Name');
      await openDialog(page).getByLabel('URL').fill('http://registry.example.com');
      await openDialog(page).getByRole('button', { name: 'Add registry' }).click();
      await expect(openDialog(page).getByText('Space is not allowed: use lowercase letters, digits and . _ -')).toBeVisible();
      await check(page, 'registry-add', theme);
      await page.keyboard.press('Escape');

      // Removing one.
      await registriesSection(page).getByRole('button', { name: 'Remove registry staging' }).click();
      await check(page, 'registry-remove', theme);
      await page.keyboard.press('Escape');

      // A registry that cannot be reached: its error in the pane and in a toast.
      await registriesSection(page).getByRole('button', { name: 'staging', exact: true }).click();
      await expect(page.locator('.toast-error')).toBeVisible();
      await check(page, 'registry-unreachable', theme);
    });
  }
});
