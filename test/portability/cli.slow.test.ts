/**
 * The command-line tool as scripts run it (`npm run cli` is `node scripts/cli.mjs`): export,
 * import and check with exit codes scripts can trust (0 done, 1 problems or refused, 2 usage),
 * results on stdout and progress on stderr; `check` changes nothing, and a folder another
 * process holds is refused.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../main/registry';
import { openStore } from '../../main/store';
import { ROOT, startServe, tempDir } from '../http/serve-process';
import { SteadyClock } from '../fixtures/store-temp';
import { seededRandom } from '../support/seed';
import { fillCatalogue, withoutExportedAt } from './support';

const CLI = join(ROOT, 'scripts', 'cli.mjs');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

async function temp(): Promise<string> {
  const dir = await tempDir('berth-cli-');
  cleanups.push(dir.cleanup);
  return dir.path;
}

/** A data folder holding a filled catalogue, closed again (as a tool would find it). */
async function filledFolder(): Promise<string> {
  const dir = join(await temp(), 'data');
  const store = await openStore(dir);
  await fillCatalogue(createRegistry(store, { now: new SteadyClock().now }), seededRandom('cli'), 8);
  await store.close();
  return dir;
}

/** Every file under dir (names and bytes), as one hash. */
function folderHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name);
      hash.update(`${path}\n`);
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else hash.update(readFileSync(join(dir, path)));
    }
  };
  walk('.');
  return hash.digest('hex');
}

beforeAll(async () => {
  // The first run builds the bundle; later runs in this file are then as fast as a script's.
  expect((await cli(['--version'])).code).toBe(0);
}, 120_000);

describe('export and import', () => {
  it('backs up and restores a catalogue through files, the same to the byte', async () => {
    const source = await filledFolder();
    const work = await temp();
    const backup = join(work, 'backup.json');
    const exported = await cli(['export', '--data-dir', source, '--out', backup]);
    expect(exported).toMatchObject({ code: 0, stdout: '' });
    expect(exported.stderr).toMatch(/^berth export: 8 repos in 4 namespaces written to .*backup\.json/m);

    const restored = join(work, 'restored');
    const imported = await cli(['import', '--data-dir', restored, '--in', backup]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      created: 8,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      conflicts: [],
      registries: { created: 0, updated: 0, unchanged: 0, deleted: 0 },
      mode: 'merge',
      dry_run: false,
    });

    const again = await cli(['export', '--data-dir', restored]);
    expect(again.code).toBe(0);
    expect(withoutExportedAt(again.stdout)).toBe(withoutExportedAt(readFileSync(backup, 'utf8')));
  });

  it('reads standard input, answers a dry run, and refuses a bad document with 1, changing nothing', async () => {
    const source = await filledFolder();
    const document = (await cli(['export', '--data-dir', source])).stdout;
    const target = join(await temp(), 'data');
    const dry = await cli(['import', '--data-dir', target, '--mode', 'replace', '--dry-run'], document);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ created: 8, dry_run: true, mode: 'replace' });
    expect(dry.stderr).toContain('dry run, nothing was changed');
    expect(JSON.parse((await cli(['export', '--data-dir', target])).stdout)).toMatchObject({ namespaces: [], repos: [] });

    const before = folderHash(target);
    const bad = await cli(['import', '--data-dir', target], document.replace('"version":1', '"version":3'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^berth: Export version 3 is not supported/);
    expect(folderHash(target)).toBe(before);

    const missing = await cli(['import', '--data-dir', target, '--in', join(target, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });

  it('answers wrong usage with 2 and says why', async () => {
    for (const args of [['export'], ['import', '--data-dir', 'x', '--mode', 'sideways'], ['frobnicate'], []]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
    }
    const missing = await cli(['export', '--data-dir', join(await temp(), 'none')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^berth: There is no data folder at /);
  });
});

describe('check', () => {
  it('finds no problem in a good folder, and changes nothing', async () => {
    const dir = await filledFolder();
    const before = folderHash(dir);
    const run = await cli(['check', '--data-dir', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^4 namespaces, 8 repo files, 0 journal records: no problems$/m);
    expect(folderHash(dir)).toBe(before);
  });

  it('reports damaged files and a damaged journal with 1, and changes nothing', async () => {
    const dir = await filledFolder();
    const repos = join(dir, 'namespaces', 'acme', 'repos');
    const [first, second] = readdirSync(repos).sort();
    writeFileSync(join(repos, first as string), '{"schema_version":1,"namespace":"acme"');
    const record = JSON.parse(readFileSync(join(repos, second as string), 'utf8')) as { tags: unknown[] };
    record.tags.push({ tag: '-bad', image_id: 'x', created_at: 'now', updated_at: 'now', source: 'api' });
    writeFileSync(join(repos, second as string), JSON.stringify(record));
    // A journal segment damaged before its end: replay would have to set it aside.
    appendFileSync(join(dir, 'journal', '000000000001.log'), `garbage line\n${' '.repeat(10)}\n{"more":1}\n`);
    const before = folderHash(dir);
    const run = await cli(['check', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`problem: namespaces/acme/repos/${first}: the file is not valid JSON`);
    expect(run.stdout).toContain(`problem: namespaces/acme/repos/${second}: tag "-bad"`);
    expect(run.stdout).toMatch(/^problem: journal\/000000000001\.log: /m);
    expect(run.stdout).toMatch(/3 problems$/m);
    expect(folderHash(dir)).toBe(before);
  });
});

describe('a folder another process holds', () => {
  it('is refused by every command, with 1 and the reason', async () => {
    const dir = await filledFolder();
    const serve = await startServe(['--data-dir', dir, '--port', '0']);
    cleanups.push(() => serve.stop());
    for (const args of [['export'], ['import', '--dry-run'], ['check']]) {
      const run = await cli([...args, '--data-dir', dir], '{}');
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^berth: Data folder .* is in use by another Berth process .*\\(pid ${String(serve.child.pid)}\\)`),
      );
      expect(run.stdout).toBe('');
    }
  });
});
