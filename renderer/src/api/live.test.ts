import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../main/contract/types';
import { keysFor } from './live';
import { keys } from './keys';

describe('change events mark what they touched as stale', () => {
  it('a tag push refreshes the repo, its tags, its namespace list and the counts', () => {
    expect(keysFor({ entity: 'tag', action: 'created', namespace: 'acme', repo_name: 'web', tag: 'latest' })).toEqual(
      expect.arrayContaining([keys.namespaces, keys.reposOf('acme'), keys.repo('acme', 'web'), keys.tags('acme', 'web')]),
    );
  });

  it('a repo edit leaves the tags alone', () => {
    const touched = keysFor({ entity: 'repo', action: 'updated', namespace: 'acme', repo_name: 'web' });
    expect(touched).toContainEqual(keys.repo('acme', 'web'));
    expect(touched).not.toContainEqual(keys.tags('acme', 'web'));
  });

  it('every change refreshes the history and the trash', () => {
    for (const event of [
      { entity: 'repo', action: 'deleted', namespace: 'acme', repo_name: 'web' },
      { entity: 'trash', action: 'deleted', namespace: 'acme', repo_name: 'web' },
      { entity: 'tag', action: 'updated', namespace: 'acme', repo_name: 'web', tag: 'latest' },
    ] as const) {
      expect(keysFor(event)).toEqual(expect.arrayContaining([keys.historyAll, keys.trash]));
    }
  });

  it('a namespace change refreshes everything under it', () => {
    expect(keysFor({ entity: 'namespace', action: 'deleted', namespace: 'acme' })).toEqual(
      expect.arrayContaining([keys.namespaces, keys.reposOf('acme'), keys.reposDetailOf('acme'), keys.tagsOf('acme')]),
    );
  });

  it('a registry change refreshes the registries, and what it holds unless only its status moved', () => {
    expect(keysFor({ entity: 'registry', action: 'updated', registry: 'corp' })).toEqual([keys.registries, keys.registryContent('corp')]);
    expect(keysFor({ entity: 'registry', action: 'updated', registry: 'corp', status_only: true })).toEqual([keys.registries]);
    expect(keys.registryTags('corp', 'team/app').slice(0, 2)).toEqual(keys.registryContent('corp'));
  });

  it("a job's change refreshes the job list, and a finished sync its repo's link", () => {
    const job = {
      id: 'j1',
      kind: 'sync',
      state: 'running',
      registry: 'corp',
      repo: 'acme/web',
      progress: { done: 1, total: 3 },
      created_at: '2026-01-01T00:00:00Z',
      started_at: '2026-01-01T00:00:00Z',
      finished_at: null,
      detail: null,
      errors: [],
    } satisfies JobView;
    expect(keysFor({ entity: 'job', action: 'updated', job })).toEqual([keys.jobs]);
    expect(keysFor({ entity: 'job', action: 'updated', job: { ...job, state: 'succeeded', finished_at: '2026-01-01T00:00:01Z' } })).toEqual(
      [keys.jobs, keys.repo('acme', 'web')],
    );
    expect(keys.job('j1').slice(0, 1)).toEqual(keys.jobs);
  });
});
