/**
 * A replace swaps the whole catalogue at once or not at all, even when the process is killed
 * (SIGKILL) at any moment: after a restart the catalogue is exactly the old one or exactly the
 * document's, never a mix (the repos it removed in the trash with the new one, and only then),
 * and the folder checks clean. Killed at each step of the swap, and at
 * seeded random moments over the whole import.
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRepoRecord, writeCatalogue, type RepoRecord } from '../support/catalogue';
import { createRegistry } from '../../main/registry';
import { openStore } from '../../main/store';
import { checkDataFolder } from '../../main/store/check';
import { ROOT, tempDir } from '../http/serve-process';
import { seededRandom } from '../support/seed';
import { collect, withoutExportedAt } from './support';

const CHILD = join(ROOT, 'test', 'fixtures', 'import-replacer.ts');

let work: { path: string; cleanup: () => Promise<void> };
let original: string;
let documentPath: string;
let oldExport: string;
let newExport: string;

function repos(prefix: string, count: number, random: ReturnType<typeof seededRandom>): RepoRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.UTC(2024, 0, 1) + random.int(1e9)).toISOString();
    return newRepoRecord(`${prefix}-${i}`, {
      description: `${prefix} ${i}`,
      created_at: at,
      updated_at: at,
      download: random.int(100),
      tags: [{ tag: 'latest', image_id: random.hex(64), created_at: at, updated_at: at, source: 'api' }],
    });
  });
}

/** The catalogue's export after a restart (which finishes or forgets an interrupted swap), and the trash's size. */
async function afterRestart(dir: string): Promise<{ text: string; trashed: number }> {
  const store = await openStore(dir);
  try {
    const registry = createRegistry(store);
    const text = withoutExportedAt(await collect(registry.exportCatalogue()));
    return { text, trashed: (await registry.listTrash({ authenticated: true }, {})).count };
  } finally {
    await store.close();
  }
}

const exportAfterRestart = async (dir: string) => (await afterRestart(dir)).text;

/** The replace removes every old repo (the document's are all named new-…): into the trash. */
const REMOVED = 600;

function runChild(dir: string, env: Record<string, string>, killAfterMs?: number): Promise<{ lines: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    // In the same process (tsx as a loader, not its launcher): the kill must reach the importer itself.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, documentPath], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        lines.push(line);
        if (line.startsWith('{"paused"')) child.kill('SIGKILL');
        // The kill clock starts once the store is open: the moments fall inside the import.
        if (line.startsWith('{"opened"') && killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`the child failed (${code}): ${stderr}`));
      else resolve({ lines, signal });
    });
  });
}

async function trial(label: string, env: Record<string, string>, killAfterMs?: number): Promise<'old' | 'new'> {
  const dir = join(work.path, label);
  cpSync(original, dir, { recursive: true });
  await runChild(dir, env, killAfterMs);
  const { text: after, trashed } = await afterRestart(dir);
  const outcome = after === newExport ? 'new' : after === oldExport ? 'old' : 'mix';
  expect(outcome, `${label}: the catalogue after the kill is neither the old one nor the new one`).not.toBe('mix');
  // The removed repos are in the trash exactly when the new catalogue is in place.
  expect(trashed, `${label}: trash entries`).toBe(outcome === 'new' ? REMOVED : 0);
  const report = await checkDataFolder(dir);
  expect(report.problems, label).toEqual([]);
  return outcome as 'old' | 'new';
}

beforeAll(async () => {
  work = await tempDir('berth-replace-crash-');
  const random = seededRandom('replace-crash');
  original = join(work.path, 'original');
  await writeCatalogue(original, [
    { namespace: 'keep', created_at: '2024-01-01T00:00:00.000Z', repos: repos('old', 300, random) },
    { namespace: 'gone', created_at: '2024-01-01T00:00:00.000Z', repos: repos('old', 300, random) },
  ]);
  oldExport = await exportAfterRestart(original);
  const next = join(work.path, 'next');
  await writeCatalogue(next, [
    { namespace: 'keep', created_at: '2024-01-01T00:00:00.000Z', repos: repos('new', 400, random) },
    { namespace: 'added', created_at: '2025-01-01T00:00:00.000Z', repos: repos('new', 400, random) },
  ]);
  const store = await openStore(next);
  documentPath = join(work.path, 'document.json');
  writeFileSync(documentPath, await collect(createRegistry(store).exportCatalogue()));
  await store.close();
  newExport = withoutExportedAt(readFileSync(documentPath, 'utf8'));
}, 120_000);

afterAll(async () => {
  await work.cleanup();
});

describe('replace killed with SIGKILL', () => {
  it('finishes without a kill: the new catalogue', async () => {
    expect(await trial('complete', {})).toBe('new');
  }, 120_000);

  for (const step of ['afterMarker', 'afterOldMoved', 'afterNewMoved']) {
    it(`at ${step}: decided, so the restart finishes it`, async () => {
      expect(await trial(step, { BERTH_PAUSE_AT: step })).toBe('new');
    }, 120_000);
  }

  it('at seeded random moments: the old catalogue or the new, never a mix', async () => {
    const random = seededRandom('kill-moments');
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await trial(`random-${i}`, {}, random.int(1200)));
    // Which side each kill lands on depends on the machine; that every one is whole does not.
    expect(outcomes.every((o) => o === 'old' || o === 'new')).toBe(true);
  }, 300_000);
});
