/**
 * Build settings set by a hosted-service client over HTTP show in the repo detail, read-only and
 * as plain text, and follow the client's later changes without a refresh.
 */
import { expect, test } from '../harness/fixtures';
import { detail, repoOption, selectNamespace } from './ui-support';

const buildSettings = (page: Parameters<typeof detail>[0]) => detail(page).getByRole('region', { name: 'Build settings' });

test('a repo created with build settings shows them read-only, and follows updates and removal', async ({ berth }) => {
  const { page } = berth;
  // As the hosted service's command line tool sends it: Token scheme, build_config on create.
  const created = await fetch(new URL('/v1/repositories/acme/', berth.apiUrl), {
    method: 'POST',
    headers: { Authorization: `Token ${berth.token}`, 'Content-type': 'application/json' },
    body: JSON.stringify({
      repo_name: 'web',
      description: 'Shop front end',
      is_public: true,
      build_config: {
        code_repo_client: 'Simple',
        code_repo_clone_url: 'https://git.example.com/acme/web.git',
        tag_configs: [
          {
            code_repo_type: 'branch',
            code_repo_type_value: 'main',
            docker_repo_tag: 'latest',
            dockerfile_location: '/docker/',
            build_context_path: '/',
            is_active: true,
          },
          { code_repo_type: 'tag', code_repo_type_value: 'v1.0', docker_repo_tag: 'stable', dockerfile_location: '/', is_active: false },
        ],
      },
    }),
  });
  expect(created.status).toBe(201);

  await selectNamespace(page, 'acme');
  await repoOption(page, 'web').click();
  await expect(detail(page).getByText('Automated build', { exact: true })).toBeVisible();
  const section = buildSettings(page);
  await expect(section.getByRole('definition')).toHaveText(['Simple', 'https://git.example.com/acme/web.git']);
  const rows = section.getByRole('table', { name: 'Tag configurations of the build settings' }).getByRole('row');
  await expect(rows).toHaveText([
    /Tag\s*Branch or tag/,
    /latest\s*branch main\s*\/docker\/\s*\/\s*Yes/,
    /stable\s*tag v1\.0\s*\/\s*—\s*No/,
  ]);
  // Read-only: nothing in it can be edited or followed.
  await expect(section.getByRole('textbox')).toHaveCount(0);
  await expect(section.getByRole('link')).toHaveCount(0);
  await section.getByText('All build settings (JSON)').click();
  await expect(section.locator('pre')).toContainText('"docker_repo_path": "acme/web"');
  await expect(section.locator('pre')).toContainText('"created_by": "acme"');

  // A client replaces them: a GitHub-linked repo, given as a single tag config object.
  const github = {
    code_repo_client: 'GitHub',
    code_repo_namespace: 'acme-code',
    code_repo_name: 'web',
    tag_configs: { docker_repo_tag: 'edge', code_repo_type: 'branch', code_repo_type_value: 'dev' },
  };
  expect((await berth.http('PUT', '/v1/repositories/acme/web', { build_config: github })).status).toBe(200);
  await expect(section.getByRole('definition')).toHaveText(['GitHub', 'acme-code/web'], { timeout: 1_000 });
  await expect(section.getByRole('row')).toHaveText([/Tag/, /edge\s*branch dev/]);

  // And removes them: the repo is a plain one again.
  expect((await berth.http('PATCH', '/v1/repositories/acme/web', { build_config: null })).status).toBe(200);
  await expect(buildSettings(page)).toHaveCount(0, { timeout: 1_000 });
  await expect(detail(page).getByText('Automated build', { exact: true })).toHaveCount(0);
});

test('hostile build settings render as inert text', async ({ berth }) => {
  const { page } = berth;
  const hostile = {
    code_repo_client: '<img src=x onerror="window.__pwned=\'client\'">',
    code_repo_clone_url: 'javascript:window.__pwned="url"',
    tag_configs: [
      { docker_repo_tag: '<script>window.__pwned="tag"</script>', code_repo_type_value: { nested: '<b>bold</b>' }, is_active: 'yes' },
    ],
  };
  expect((await berth.http('POST', '/v1/repositories/acme/', { repo_name: 'evil', build_config: hostile })).status).toBe(201);
  await selectNamespace(page, 'acme');
  await repoOption(page, 'evil').click();
  const section = buildSettings(page);
  await expect(section.getByRole('definition')).toHaveText([hostile.code_repo_client, hostile.code_repo_clone_url]);
  await expect(section.getByRole('row').nth(1)).toContainText('<script>window.__pwned="tag"</script>');
  await expect(section.getByRole('row').nth(1)).toContainText('{"nested":"<b>bold</b>"}');
  await expect(section.locator('img, script, b, a')).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as unknown as Record<string, unknown>).__pwned)).toBeUndefined();
});
