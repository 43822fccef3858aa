/** Where an imported repository goes locally: the import's naming rules. */
import { describe, expect, it } from 'vitest';
import { localNameOf } from './local-names';

describe('local names of imported repositories', () => {
  it('without a namespace: the first segment, then the rest joined by -', () => {
    expect(localNameOf('team/app')).toEqual({ ok: true, namespace: 'team', repo_name: 'app' });
    expect(localNameOf('team/web/api')).toEqual({ ok: true, namespace: 'team', repo_name: 'web-api' });
    expect(localNameOf('library/nginx')).toEqual({ ok: true, namespace: 'library', repo_name: 'nginx' });
  });

  it('with a namespace: the whole path with / replaced by -', () => {
    expect(localNameOf('team/web/api', 'mirror')).toEqual({ ok: true, namespace: 'mirror', repo_name: 'team-web-api' });
    expect(localNameOf('solo', 'mirror')).toEqual({ ok: true, namespace: 'mirror', repo_name: 'solo' });
  });

  it('says why a name cannot be made', () => {
    expect(localNameOf('solo')).toEqual({ ok: false, detail: 'solo has one path segment: give a namespace to import it into.' });
    expect(localNameOf('x/tool')).toMatchObject({ ok: false, detail: expect.stringMatching(/^Local namespace "x" for x\/tool: /) });
    expect(localNameOf('team/a')).toMatchObject({ ok: false, detail: expect.stringMatching(/^Local repo name "a" for team\/a: /) });
    expect(localNameOf('team/app', 'Bad')).toMatchObject({ ok: false });
  });
});
