/** Build settings (build_config) through the registry: what the window and the API both get. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import type { ChangeEvent } from '../contract/types';
import { openHarness, type Harness } from '../../test/fixtures/store-temp';
import { BUILD_CONFIG_MESSAGES } from './build-config';
import { ANONYMOUS, TOKEN_HOLDER } from './service';

const SIMPLE = {
  code_repo_client: 'Simple',
  code_repo_clone_url: 'https://git.example.com/acme/web.git',
  tag_configs: [
    { code_repo_type: 'branch', code_repo_type_value: 'main', docker_repo_tag: 'latest', dockerfile_location: '/', is_active: true },
  ],
};

async function refusal(p: Promise<unknown>): Promise<BerthError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BerthError);
  return err as BerthError;
}

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a repo created with build settings', () => {
  it('is automated, and its detail carries the settings as given plus created_by and docker_repo_path', async () => {
    const created = await h.registry.createRepo('acme', { repo_name: 'web', build_config: SIMPLE });
    expect(created.is_automated).toBe(true);
    const detail = await h.registry.getRepo(ANONYMOUS, 'acme', 'web');
    expect(detail.is_automated).toBe(true);
    expect(detail.build_config).toEqual({ ...SIMPLE, created_by: 'acme', docker_repo_path: 'acme/web' });
    const listed = await h.registry.listRepos(ANONYMOUS, 'acme', {});
    expect(listed.results[0]?.is_automated).toBe(true);
  });

  it('keeps them on disk as given, without the derived fields, across a restart', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web', build_config: SIMPLE });
    await h.reopen();
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).build_config).toEqual({
      ...SIMPLE,
      created_by: 'acme',
      docker_repo_path: 'acme/web',
    });
    await h.store.checkpoint();
    const file = JSON.parse(readFileSync(join(h.dir, 'namespaces/acme/repos/web.json'), 'utf8')) as Record<string, unknown>;
    expect(file.build_config).toEqual(SIMPLE);
    expect(file.is_automated).toBe(true);
  });

  it('stores a copy: changing the object passed in afterwards changes nothing', async () => {
    const mine = structuredClone(SIMPLE);
    await h.registry.createRepo('acme', { repo_name: 'web', build_config: mine });
    mine.tag_configs[0]!.docker_repo_tag = 'changed-behind-its-back';
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).build_config?.tag_configs).toEqual(SIMPLE.tag_configs);
  });

  it('is a plain repo when build_config is null or left out', async () => {
    expect((await h.registry.createRepo('acme', { repo_name: 'plain', build_config: null })).is_automated).toBe(false);
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'plain')).build_config).toBeNull();
  });
});

describe('updating build settings', () => {
  it('replaces them whole, makes a plain repo automated, and counts as an edit', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web' });
    const before = await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web');
    const events: ChangeEvent[] = [];
    h.registry.onChange((e) => events.push(e));
    const github = { code_repo_client: 'GitHub', code_repo_namespace: 'acme', code_repo_name: 'web' };
    await h.registry.updateRepo('acme', 'web', { build_config: github });
    const after = await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web');
    expect(after.is_automated).toBe(true);
    expect(after.build_config).toEqual({ ...github, created_by: 'acme', docker_repo_path: 'acme/web' });
    expect(after.updated_at > before.updated_at).toBe(true);
    expect(events).toEqual([{ entity: 'repo', action: 'updated', namespace: 'acme', repo_name: 'web' }]);
    await h.registry.updateRepo('acme', 'web', { build_config: SIMPLE });
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).build_config).not.toHaveProperty('code_repo_namespace');
  });

  it('leaves them alone when another field changes', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web', build_config: SIMPLE });
    await h.registry.updateRepo('acme', 'web', { is_public: false, description: 'private now' });
    const detail = await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web');
    expect(detail).toMatchObject({
      is_public: false,
      is_automated: true,
      build_config: { ...SIMPLE, created_by: 'acme', docker_repo_path: 'acme/web' },
    });
  });

  it('removes them with null: the repo is no longer automated, and stays so after a restart', async () => {
    await h.registry.createRepo('acme', { repo_name: 'web', build_config: SIMPLE });
    await h.registry.updateRepo('acme', 'web', { build_config: null });
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).toMatchObject({ is_automated: false, build_config: null });
    await h.reopen();
    expect(await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'web')).toMatchObject({ is_automated: false, build_config: null });
  });
});

describe('refused build settings', () => {
  it('are a validation error under build_config, and nothing is created or changed', async () => {
    const tooBig = { code_repo_client: 'Simple', notes: 'x'.repeat(16 * 1024) };
    const proto = JSON.parse('{"tag_configs": [{"__proto__": {"is_public": false}}]}') as Record<string, unknown>;
    const cases: [unknown, string][] = [
      [tooBig, BUILD_CONFIG_MESSAGES.tooLarge],
      [proto, BUILD_CONFIG_MESSAGES.forbiddenKey('__proto__', 'build_config.tag_configs[0]')],
      ['Simple', BUILD_CONFIG_MESSAGES.notObject],
      [[SIMPLE], BUILD_CONFIG_MESSAGES.notObject],
    ];
    await h.registry.createRepo('acme', { repo_name: 'kept', build_config: SIMPLE });
    for (const [build_config, message] of cases) {
      const created = await refusal(h.registry.createRepo('acme', { repo_name: 'web', build_config } as never));
      expect(created.code).toBe('validation_error');
      expect(created.errors).toEqual({ build_config: [message] });
      const updated = await refusal(h.registry.updateRepo('acme', 'kept', { build_config } as never));
      expect(updated.errors).toEqual({ build_config: [message] });
    }
    expect((await h.registry.listRepos(TOKEN_HOLDER, 'acme', {})).results.map((r) => r.repo_name)).toEqual(['kept']);
    expect((await h.registry.getRepo(TOKEN_HOLDER, 'acme', 'kept')).build_config).toEqual({
      ...SIMPLE,
      created_by: 'acme',
      docker_repo_path: 'acme/kept',
    });
  });

  it('still refuse unknown fields next to them', async () => {
    const err = await refusal(h.registry.createRepo('acme', { repo_name: 'web', build_config: SIMPLE, build_trigger: true } as never));
    expect(err.errors).toEqual({ build_trigger: ['This field is unknown or read-only.'] });
  });
});

describe('an update that names the build settings already stored', () => {
  it('is no edit: updated_at stays and no change is announced; different settings are one', async () => {
    const created = await h.registry.createRepo('acme', { repo_name: 'web', build_config: SIMPLE });
    const events: ChangeEvent[] = [];
    h.registry.onChange((e) => events.push(e));
    const same = await h.registry.updateRepo('acme', 'web', { build_config: structuredClone(SIMPLE) });
    expect(same.updated_at).toBe(created.updated_at);
    expect(events).toEqual([]);
    const changed = await h.registry.updateRepo('acme', 'web', { build_config: { ...SIMPLE, code_repo_client: 'GitHub' } });
    expect(changed.build_config?.code_repo_client).toBe('GitHub');
    expect(events).toHaveLength(1);
  });
});
