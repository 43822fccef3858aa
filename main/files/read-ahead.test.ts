/** Folders read in a worker ahead of their use (an export's next namespace). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../test/fixtures/store-temp';
import { FolderReadAhead } from './read-ahead';

let dir: string;
let ahead: FolderReadAhead;

beforeEach(async () => {
  dir = await makeTempDir();
  ahead = new FolderReadAhead('.json');
});
afterEach(async () => {
  await ahead.close();
  await removeDir(dir);
});

describe('FolderReadAhead', () => {
  it('reads the files with the suffix, by name, and reads again once taken', async () => {
    const repos = join(dir, 'repos');
    mkdirSync(repos);
    writeFileSync(join(repos, 'web.json'), '{"repo_name":"web"}');
    writeFileSync(join(repos, 'api.json'), '{"repo_name":"api","note":"ünïcode"}');
    writeFileSync(join(repos, 'notes.txt'), 'not a repo');
    ahead.request(repos);
    expect(await ahead.take(repos)).toEqual(
      new Map([
        ['api.json', '{"repo_name":"api","note":"ünïcode"}'],
        ['web.json', '{"repo_name":"web"}'],
      ]),
    );
    writeFileSync(join(repos, 'web.json'), '{"repo_name":"web","changed":true}');
    expect((await ahead.take(repos)).get('web.json')).toBe('{"repo_name":"web","changed":true}');
  });

  it('answers an empty map for a folder that is not there, and starts again after close', async () => {
    expect(await ahead.take(join(dir, 'missing'))).toEqual(new Map());
    const repos = join(dir, 'repos');
    mkdirSync(repos);
    writeFileSync(join(repos, 'web.json'), '{}');
    await ahead.close();
    expect((await ahead.take(repos)).get('web.json')).toBe('{}');
  });
});
