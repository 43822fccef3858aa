import { describe, expect, it } from 'vitest';
import { previewLocalName, remoteRepositoryProblem, tagFilterProblem } from './local-name';

describe('the import preview names local repos as the import will', () => {
  it('without a namespace: first segment, then the rest joined by -', () => {
    expect(previewLocalName('team/app', '')).toEqual({ ok: true, name: 'team/app' });
    expect(previewLocalName('team/tools/cli', '')).toEqual({ ok: true, name: 'team/tools-cli' });
  });

  it('with a namespace: the whole path joined by -', () => {
    expect(previewLocalName('team/tools/cli', 'mirror')).toEqual({ ok: true, name: 'mirror/team-tools-cli' });
    expect(previewLocalName('nginx', 'hub')).toEqual({ ok: true, name: 'hub/nginx' });
  });

  it('a one-segment path needs a namespace; an invalid name says why', () => {
    expect(previewLocalName('nginx', '')).toEqual({ ok: false, detail: expect.stringContaining('give a namespace') as unknown });
    expect(previewLocalName('team/app', 'Bad Space')).toEqual({ ok: false, detail: expect.stringContaining('"Bad Space"') as unknown });
  });

  it('a tag filter must be a regular expression', () => {
    expect(tagFilterProblem('')).toBeNull();
    expect(tagFilterProblem('1\\..*|latest')).toBeNull();
    expect(tagFilterProblem('v(1')).toMatch(/^Not a regular expression/);
    // The service's RE2 reading: no look-arounds, and a pattern that would stall a backtracking engine is fine.
    expect(tagFilterProblem('(?=v)v1')).toMatch(/no look-arounds/);
    expect(tagFilterProblem('(a+)+b')).toBeNull();
  });
});

describe('a remote repository path is checked before linking', () => {
  it('takes Distribution paths and refuses others', () => {
    expect(remoteRepositoryProblem('team/app')).toBeNull();
    expect(remoteRepositoryProblem('library/nginx')).toBeNull();
    expect(remoteRepositoryProblem('')).toMatch(/Name the repository/);
    expect(remoteRepositoryProblem('Team/App')).toMatch(/lower-case/);
    expect(remoteRepositoryProblem('team//app')).toMatch(/lower-case/);
  });
});
