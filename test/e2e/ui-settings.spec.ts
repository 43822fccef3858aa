/** Settings and the status bar: theme, token, port (including one already taken), anonymous reads. */
import { createServer, type Server } from 'node:net';
import { expect, httpCall, test } from '../harness/fixtures';
import { openDialog, readClipboard } from './ui-support';

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

test('the theme follows the OS unless the setting names one', async ({ berth }) => {
  const { page } = berth;
  const html = page.locator('html');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');

  await page.getByRole('button', { name: 'Settings' }).click();
  await openDialog(page).getByLabel('Theme').selectOption('light');
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(berth.settings.get().theme).toBe('light');
  await page.keyboard.press('Escape');
  await expect(openDialog(page)).toHaveCount(0);

  // The choice survives a reload; "Follow the system" hands it back to the OS.
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.keyboard.press('Control+,');
  await openDialog(page).getByLabel('Theme').selectOption('system');
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('settings show where the API is, and the token can be shown, copied and regenerated', async ({ berth }) => {
  const { page } = berth;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(berth.appUrl).origin });
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(`API listening on ${berth.apiUrl}`);

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = openDialog(page);
  await expect(dialog.getByText(berth.apiUrl, { exact: true })).toBeVisible();
  await expect(dialog.getByText(berth.dataDir, { exact: true })).toBeVisible();
  await expect(dialog.getByText(berth.token)).toHaveCount(0); // hidden until asked for
  await dialog.getByRole('button', { name: 'Show token' }).click();
  await expect(dialog.getByText(berth.token, { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Copy token' }).click();
  await expect.poll(() => readClipboard(page)).toBe(berth.token);

  const old = berth.token;
  await dialog.getByRole('button', { name: 'Regenerate…' }).click();
  await dialog.getByRole('button', { name: 'Make a new token' }).click();
  await expect.poll(() => berth.token).not.toBe(old);
  await expect(dialog.getByText(berth.token, { exact: true })).toBeVisible();
  expect((await httpCall(berth.apiUrl, old, 'GET', '/v1/namespaces/')).status).toBe(401);
  expect((await httpCall(berth.apiUrl, berth.token, 'GET', '/v1/namespaces/')).status).toBe(200);
});

test('anonymous reads can be switched off and on', async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
  expect((await berth.http('GET', '/v1/repositories/acme/web', undefined, { anonymous: true })).status).toBe(200);
  await page.getByRole('button', { name: 'Settings' }).click();
  const toggle = openDialog(page).getByRole('checkbox', { name: 'Allow anonymous reads' });
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('token required for reads');
  expect(berth.settings.get().anonymous_reads).toBe(false);
  const apiUrl = (await page.evaluate(() => (globalThis as unknown as { berth: { getServerInfo(): Promise<{ url: string }> } }).berth.getServerInfo())).url;
  expect((await httpCall(apiUrl, null, 'GET', '/v1/repositories/acme/web')).status).toBe(401);
  await toggle.check();
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('anonymous reads on');
  expect((await httpCall(apiUrl, null, 'GET', '/v1/repositories/acme/web')).status).toBe(200);
});

test('a port already in use is reported in the status bar, and another one can be chosen', async ({ berth }) => {
  const { page } = berth;
  const squatter = await listen();
  const taken = portOf(squatter);
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    await openDialog(page).getByLabel('Port').fill(String(taken));
    await openDialog(page).getByRole('button', { name: 'Apply port' }).click();
    await page.keyboard.press('Escape');

    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect(status).toContainText('API not running');
    await expect(status).toContainText(`${taken}`);
    await expect(status).toContainText(/in use/);

    // Pick a free port from the status bar.
    const probe = await listen();
    const free = portOf(probe);
    await close(probe);
    await status.getByRole('button', { name: 'Choose another port…' }).click();
    await openDialog(page).getByLabel('Port').fill(String(free));
    await openDialog(page).getByRole('button', { name: 'Apply port' }).click();
    await expect(status).toContainText(`API listening on http://127.0.0.1:${free}`);
    expect((await httpCall(`http://127.0.0.1:${free}`, berth.token, 'GET', '/v1/_ping')).status).toBe(200);
    expect(berth.settings.get().api_port).toBe(free);
  } finally {
    await close(squatter);
  }
});
