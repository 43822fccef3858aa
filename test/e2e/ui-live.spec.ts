/** The window follows local tools: what they write over HTTP shows up at once, and renders inert. */
import { expect, test } from '../harness/fixtures';
import { detail, repoOption, selectNamespace, sidebar } from './ui-support';

test('a repo created over HTTP appears in the open window within one second', async ({ berth }) => {
  const { page } = berth;
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'first' })).status).toBe(201);
  await selectNamespace(page, 'acme');
  await expect(repoOption(page, 'first')).toBeVisible();

  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'from-a-script', description: 'made by CI' })).status).toBe(201);
  await expect(repoOption(page, 'from-a-script')).toBeVisible({ timeout: 1_000 });
  await expect(sidebar(page).getByRole('button', { name: /^acme 2 repositories$/ })).toBeVisible({ timeout: 1_000 });

  // A new namespace made by a tool joins the sidebar too.
  expect((await berth.http('POST', '/v1/repositories/tools/', { repo_name: 'cli' })).status).toBe(201);
  await expect(sidebar(page).getByRole('button', { name: /^tools 1 repository$/ })).toBeVisible({ timeout: 1_000 });

  // An edit over HTTP reaches an open detail view.
  await repoOption(page, 'from-a-script').click();
  await expect(detail(page).getByText('made by CI', { exact: true })).toBeVisible();
  expect((await berth.http('PATCH', '/v1/repositories/acme/from-a-script', { description: 'edited by CI', is_public: false })).status).toBe(
    200,
  );
  await expect(detail(page).getByText('edited by CI', { exact: true })).toBeVisible({ timeout: 1_000 });
  await expect(detail(page).getByText('Private', { exact: true })).toBeVisible({ timeout: 1_000 });
});

const HOSTILE = [
  '# Release notes',
  '',
  '<script>window.__pwned = "script"</script>',
  '',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '',
  '[click me](javascript:window.__pwned=%22link%22)',
  '',
  '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '',
  '<a href="javascript:window.__pwned=\'raw-a\'">raw anchor</a>',
  '',
  '<div onmouseover="window.__pwned=\'div\'" style="position:fixed;inset:0">raw div</div>',
  '',
  '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
  '',
  '<svg><script>window.__pwned="svg"</script></svg>',
  '',
  '![pic](javascript:window.__pwned="img-md")',
  '',
  'A [safe link](https://example.com/docs) stays.',
].join('\n');

test('a hostile full description written over HTTP renders inert', async ({ berth }) => {
  const { page } = berth;
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const created = await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'evil', full_description: HOSTILE });
  expect(created.status).toBe(201);
  await selectNamespace(page, 'acme');
  await repoOption(page, 'evil').click();

  const markdown = detail(page).locator('.markdown');
  await expect(markdown.getByRole('heading', { name: 'Release notes' })).toBeVisible();
  await expect(markdown.getByRole('link', { name: 'safe link' })).toHaveAttribute('href', 'https://example.com/docs');
  // External links leave the app (the Electron shell sends them to the system browser).
  await expect(markdown.getByRole('link', { name: 'safe link' })).toHaveAttribute('target', '_blank');

  // Nothing executable reached the DOM.
  expect(await markdown.locator('script, iframe, object, embed, svg, img[onerror], [onerror], [onmouseover], [onclick]').count()).toBe(0);
  const hrefs = await markdown.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.filter((href) => !/^https?:/i.test(href))).toEqual([]);
  // The javascript: link is kept as text the user can read, but cannot follow.
  await markdown.getByText('click me').click();
  await expect(markdown.getByText('raw div')).toHaveCount(0); // raw HTML blocks are dropped whole
  await markdown.hover();
  await markdown.getByText('data link').click();

  // And nothing ran: no flag, no dialog, still on the app's page.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(page.url()).toBe(berth.appUrl);

  // The preview while editing is sanitized the same way.
  await detail(page).getByRole('button', { name: 'Edit full description' }).click();
  await detail(page).getByRole('tab', { name: 'Preview' }).click();
  await expect(detail(page).locator('.markdown-preview').getByRole('heading', { name: 'Release notes' })).toBeVisible();
  expect(await detail(page).locator('.markdown-preview').locator('script, iframe, [onerror], [onmouseover]').count()).toBe(0);
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
});
