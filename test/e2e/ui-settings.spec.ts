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
  const apiUrl = (
    await page.evaluate(() => (globalThis as unknown as { berth: { getServerInfo(): Promise<{ url: string }> } }).berth.getServerInfo())
  ).url;
  expect((await httpCall(apiUrl, null, 'GET', '/v1/repositories/acme/web')).status).toBe(401);
  await toggle.check();
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('anonymous reads on');
  expect((await httpCall(apiUrl, null, 'GET', '/v1/repositories/acme/web')).status).toBe(200);
});

test('quick toggles of anonymous reads all take effect, in order; window, setting and API then agree', async ({ berth }) => {
  // Twenty rounds of off/on/off/on, each bounded by the expect timeouts below.
  test.setTimeout(180_000);
  const { page } = berth;
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
  // What the backend was asked to apply, in order: a lost or reordered click shows here.
  const applied: boolean[] = [];
  const update = berth.settings.update.bind(berth.settings);
  berth.settings.update = (patch) => {
    if (patch.anonymous_reads !== undefined) applied.push(patch.anonymous_reads);
    return update(patch);
  };

  await page.getByRole('button', { name: 'Settings' }).click();
  const toggle = openDialog(page).getByRole('checkbox', { name: 'Allow anonymous reads' });
  const status = page.getByRole('contentinfo', { name: 'Status' });
  await expect(toggle).toBeChecked();

  for (let round = 0; round < 20; round++) {
    applied.length = 0;
    if (round % 2 === 0) {
      // Four clicks in one task of the page: faster than any hand.
      await toggle.evaluate((element) => {
        for (let i = 0; i < 4; i++) (element as unknown as { click(): void }).click();
      });
    } else {
      // Four clicks as Playwright makes them, each checking that the box changed.
      await toggle.uncheck();
      await toggle.check();
      await toggle.uncheck();
      await toggle.check();
    }
    const where = `round ${round}`;
    await expect.poll(() => applied, { message: `${where}: every click applied, in order` }).toEqual([false, true, false, true]);
    await expect(toggle, where).toBeChecked();
    await expect(status, where).toContainText('anonymous reads on');
    expect(berth.settings.get().anonymous_reads, where).toBe(true);
    const { url } = berth.backend.info();
    expect((await httpCall(url ?? berth.apiUrl, null, 'GET', '/v1/repositories/acme/web')).status, where).toBe(200);
  }
});

test('a port in use leaves the API where it was: the reason shows on the field, with Retry', async ({ berth }) => {
  const { page } = berth;
  const before = berth.settings.get().api_port;
  const squatter = await listen();
  const taken = portOf(squatter);
  let squatting = true;
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = openDialog(page);
    const port = dialog.getByLabel('Port');
    await port.fill(String(taken));
    await dialog.getByRole('button', { name: 'Apply port' }).click();

    const reason = `Port ${taken} is already in use on 127.0.0.1: stop the other program or choose another port.`;
    await expect(port).toHaveAttribute('aria-invalid', 'true');
    await expect(port).toHaveAccessibleDescription(new RegExp(`^${reason.replace(/[.]/g, '\\.')}`));
    await expect(page.getByText(reason)).toHaveCount(1); // on the field, not again as a toast
    // The working API was never stopped, and the busy port was not saved.
    expect((await httpCall(berth.apiUrl, null, 'GET', '/v1/_ping')).status).toBe(200);
    expect(berth.settings.get().api_port).toBe(before);
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect(status).toContainText(`API listening on ${berth.apiUrl}`);
    await expect(dialog.getByRole('button', { name: 'Apply port' })).toBeEnabled();

    // The other program lets go of the port: Retry takes it.
    await close(squatter);
    squatting = false;
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await expect(status).toContainText(`API listening on http://127.0.0.1:${taken}`);
    await expect(port).toHaveAttribute('aria-invalid', 'false');
    await expect(port).toBeFocused();
    expect((await httpCall(`http://127.0.0.1:${taken}`, null, 'GET', '/v1/_ping')).status).toBe(200);
    expect(berth.settings.get().api_port).toBe(taken);
    // Moved, not doubled: the old address is let go.
    await expect(httpCall(berth.apiUrl, null, 'GET', '/v1/_ping')).rejects.toThrow();
  } finally {
    if (squatting) await close(squatter);
  }
});

test('a port in use comes with a free port to use instead', async ({ berth }) => {
  const { page } = berth;
  const squatter = await listen();
  const taken = portOf(squatter);
  try {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = openDialog(page);
    await dialog.getByLabel('Port').fill(String(taken));
    await dialog.getByRole('button', { name: 'Apply port' }).click();
    const suggestion = dialog.getByRole('button', { name: /^Use port \d+$/ });
    await expect(suggestion).toBeVisible();
    const free = Number((await suggestion.textContent())?.replace(/\D/g, ''));
    expect(free).not.toBe(taken);
    await suggestion.click();
    await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText(`API listening on http://127.0.0.1:${free}`);
    await expect(dialog.getByLabel('Port')).toHaveValue(String(free));
    expect((await httpCall(`http://127.0.0.1:${free}`, null, 'GET', '/v1/_ping')).status).toBe(200);
    expect(berth.settings.get().api_port).toBe(free);
  } finally {
    await close(squatter);
  }
});

// The saved port is taken before Berth starts: the API is not listening.
const withBusyPort = test.extend<{ squatter: Server }>({
  // eslint-disable-next-line no-empty-pattern
  squatter: async ({}, use) => {
    const squatter = await listen();
    await use(squatter);
    if (squatter.listening) await close(squatter);
  },
  berthOptions: async ({ squatter }, use) => use({ port: portOf(squatter) }),
});

withBusyPort(
  'when the saved port is taken at start, "Choose another port…" opens on the Port field, and Apply retries it',
  async ({ berth, squatter }) => {
    const { page } = berth;
    const taken = portOf(squatter);
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect(status).toContainText(`API not running: Port ${taken} is already in use`);
    await status.getByRole('button', { name: 'Choose another port…' }).click();
    const dialog = openDialog(page);
    const port = dialog.getByLabel('Port');
    await expect(port).toBeFocused();
    await expect(port).toHaveValue(String(taken));
    await expect(port).toHaveAccessibleDescription(/already in use/);
    await expect(dialog.getByRole('button', { name: 'Retry' })).toBeVisible();

    // Not listening: Apply is there for the same port, once the other program has gone.
    await close(squatter);
    const apply = dialog.getByRole('button', { name: 'Apply port' });
    await expect(apply).toBeEnabled();
    await apply.click();
    await expect(status).toContainText(`API listening on http://127.0.0.1:${taken}`);
    expect((await httpCall(`http://127.0.0.1:${taken}`, null, 'GET', '/v1/_ping')).status).toBe(200);
    await expect(apply).toBeDisabled();
  },
);

test.describe('with a hand-edited settings file', () => {
  test.use({ berthOptions: { storedSettings: { anonymous_reads: 'no' } } });

  test('an invalid stored setting is reported in the window; the safer value is shown and served until one is chosen', async ({
    berth,
  }) => {
    const { page } = berth;
    expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'web' })).status).toBe(201);
    expect((await berth.http('GET', '/v1/repositories/acme/web', undefined, { anonymous: true })).status).toBe(401);
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect(status).toContainText('token required for reads');
    await status.getByRole('button', { name: 'Settings need attention…' }).click();

    const dialog = openDialog(page);
    const problems = dialog.getByRole('region', { name: 'Settings that need attention' });
    await expect(problems).toContainText(
      'The stored setting “Allow anonymous reads” is "no", which Berth cannot use: anonymous reads are off',
    );
    const toggle = dialog.getByRole('checkbox', { name: 'Allow anonymous reads' });
    await expect(toggle).not.toBeChecked();

    await toggle.check();
    await expect(problems).toHaveCount(0);
    await expect(status.getByRole('button', { name: 'Settings need attention…' })).toHaveCount(0);
    await expect(status).toContainText('anonymous reads on');
    expect((await berth.http('GET', '/v1/repositories/acme/web', undefined, { anonymous: true })).status).toBe(200);
  });
});
