/**
 * File > Export… and Import…: the file comes from the file dialog (the harness answers for the
 * app's native one), the window shows progress and what happened; the backend refuses a file the
 * window names without a dialog. axe-clean in both themes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistryService } from '../../main/registry/service';
import { expect, test, type BerthWindow } from '../harness/fixtures';
import { IMAGE_A, openDialog, repoOption, selectNamespace, seriousViolations } from './ui-support';

async function seed(registry: RegistryService): Promise<void> {
  await registry.createRepo('acme', { repo_name: 'web', description: 'Shop front end' });
  await registry.putTag('acme', 'web', 'latest', IMAGE_A);
  await registry.createRepo('acme', { repo_name: 'api', description: 'Orders API', is_public: false });
  await registry.createRepo('tools', { repo_name: 'cli' });
}

test.use({ berthOptions: { seed, settings: { last_namespace: 'acme' } } });

let work: string;
test.beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'berth-ui-portability-'));
});
test.afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

test('Export… writes the catalogue to the chosen file and says what it wrote', async ({ berth }) => {
  const { page } = berth;
  const file = join(work, 'backup.json');
  berth.dialogs.exportPath = file;
  await berth.menu('export-catalogue');
  const dialog = openDialog(page);
  await expect(dialog.getByRole('heading', { name: 'Export the catalogue' })).toBeVisible();
  await expect(dialog.locator('.transfer-result')).toHaveText('Exported 3 repositories in 2 namespaces (0.0 MB) to backup.json.');
  const doc = JSON.parse(await readFile(file, 'utf8')) as { format: string; repos: { repo_name: string }[] };
  expect(doc.format).toBe('berth-export');
  expect(doc.repos.map((r) => r.repo_name).sort()).toEqual(['api', 'cli', 'web']);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(openDialog(page)).toHaveCount(0);

  // Cancelling the file dialog is the end of it.
  berth.dialogs.exportPath = null;
  await berth.menu('export-catalogue');
  await page.waitForTimeout(200);
  await expect(openDialog(page)).toHaveCount(0);
});

test('Import… shows a dry run, then imports, and the window shows the result at once', async ({ berth }) => {
  const { page } = berth;
  const exported = JSON.parse(
    await (await fetch(`${berth.apiUrl}/v1/export`, { headers: { authorization: `Bearer ${berth.token}` } })).text(),
  ) as {
    namespaces: { namespace: string; created_at: string }[];
    repos: Record<string, unknown>[];
  };
  const web = exported.repos.find((r) => r.repo_name === 'web') as Record<string, unknown>;
  exported.repos.push({ ...web, repo_name: 'shop', repo_path: 'acme/shop', description: 'Imported shop' });
  exported.repos.push({ ...web, description: 'An older copy', updated_at: '2000-01-01T00:00:00.000Z' });
  exported.repos = exported.repos.filter((r, i, all) => !(r.repo_name === 'web' && all.indexOf(r) !== all.length - 1));
  const file = join(work, 'incoming.json');
  await writeFile(file, JSON.stringify(exported));

  berth.dialogs.importPath = file;
  await selectNamespace(page, 'acme');
  await berth.menu('import-catalogue');
  const dialog = openDialog(page);
  await expect(dialog.getByRole('heading', { name: 'Import a catalogue' })).toBeVisible();
  await expect(dialog.getByText(file)).toBeVisible();
  await dialog.getByLabel(/Dry run:/).check();
  await dialog.getByRole('button', { name: 'Dry run', exact: true }).click();
  const status = dialog.locator('.transfer-result');
  await expect(status).toContainText('Dry run: nothing was changed.');
  await expect(status.getByRole('definition').first()).toHaveText('1');
  await expect(dialog.getByRole('list', { name: 'Conflicts' })).toContainText('acme/web: Kept the local copy');
  await expect(repoOption(page, 'shop')).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Import now' }).click();
  await expect(status).toContainText('Imported:');
  await expect(repoOption(page, 'shop')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await repoOption(page, 'web').click();
  await expect(page.getByText('Shop front end').first()).toBeVisible();
});

test('a bad file is reported, and nothing changes', async ({ berth }) => {
  const { page } = berth;
  const file = join(work, 'broken.json');
  await writeFile(file, '{"format":"berth-export","version":9,"namespaces":[],"repos":[]}');
  berth.dialogs.importPath = file;
  await berth.menu('import-catalogue');
  const dialog = openDialog(page);
  await dialog.getByLabel(/Replace:/).check();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.locator('.field-error')).toContainText('Export version 9 is not supported');
  await expect(repoOption(page, 'web')).toBeVisible();
});

test('the window cannot name a file itself: only one chosen in the dialog is written or read', async ({ berth }) => {
  const { page } = berth;
  const target = join(work, 'not-chosen.json');
  const answers = await page.evaluate(async (path) => {
    const api = (globalThis as unknown as BerthWindow).berth;
    const out: unknown[] = [];
    for (const call of [
      () => api.exportCatalogue(path),
      () => api.importCatalogue(path, {}),
      () => api.importCatalogue('/etc/passwd', { dry_run: true }),
    ]) {
      out.push(
        await call().then(
          () => 'done',
          (e: { code: string }) => e.code,
        ),
      );
    }
    return out;
  }, target);
  expect(answers).toEqual(['forbidden', 'forbidden', 'forbidden']);
  await expect(readFile(target)).rejects.toThrow();
});

for (const theme of ['light', 'dark'] as const) {
  test(`the export and import dialogs pass axe in the ${theme} theme`, async ({ berth }) => {
    const { page } = berth;
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    berth.dialogs.exportPath = join(work, 'a11y.json');
    await berth.menu('export-catalogue');
    await expect(openDialog(page).locator('.transfer-result')).toContainText('Exported 3 repositories');
    await page.screenshot({ path: `test-results/screenshots/export-${theme}.png` });
    expect(await seriousViolations(page, { within: 'dialog[open]' })).toEqual([]);
    await openDialog(page).getByRole('button', { name: 'Done' }).click();

    berth.dialogs.importPath = join(work, 'a11y.json');
    await berth.menu('import-catalogue');
    expect(await seriousViolations(page, { within: 'dialog[open]' })).toEqual([]);
    await openDialog(page)
      .getByLabel(/Dry run:/)
      .check();
    await openDialog(page).getByRole('button', { name: 'Dry run', exact: true }).click();
    await expect(openDialog(page).locator('.transfer-result')).toContainText('Dry run: nothing was changed.');
    await page.screenshot({ path: `test-results/screenshots/import-${theme}.png` });
    expect(await seriousViolations(page, { within: 'dialog[open]' })).toEqual([]);
  });
}
