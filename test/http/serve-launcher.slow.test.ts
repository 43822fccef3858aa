/**
 * scripts/serve.mjs, the launcher `npm run serve` runs: it builds the server bundle when there is
 * none or the sources are newer, never lets a run load a half-written bundle, and passes
 * arguments, output and exit codes through. Run against a copy of the launcher in a temp project
 * (with small sources of its own) so the real main/ is never touched.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './serve-process';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Project {
  root: string;
  writeEntry(source: string): Promise<void>;
}

async function project(): Promise<Project> {
  const dir = await tempDir('berth-launcher-');
  cleanups.push(dir.cleanup);
  const root = dir.path;
  await mkdir(join(root, 'scripts'));
  await mkdir(join(root, 'main', 'cli'), { recursive: true });
  for (const script of ['serve.mjs', 'run-bundled.mjs']) await copyFile(join(ROOT, 'scripts', script), join(root, 'scripts', script));
  await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'launcher-test', version: '1.2.3', type: 'module' }));
  await writeFile(join(root, 'main', 'greeting.ts'), "export const GREETING: string = 'hello';\n");
  const entry = join(root, 'main', 'cli', 'serve.ts');
  return {
    root,
    async writeEntry(source: string) {
      await writeFile(entry, source);
      // A second apart, so the check sees the change on any filesystem's timestamp resolution.
      const later = new Date(Date.now() + 2000);
      await utimes(entry, later, later);
    },
  };
}

function run(root: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

const ENTRY = (word: string) => `
import pkg from '../../package.json' with { type: 'json' };
import { GREETING } from '../greeting';
process.stdout.write(\`\${GREETING} ${word} \${pkg.version} [\${process.argv.slice(2).join(',')}]\\n\`);
process.exitCode = 3;
`;

describe('the serve launcher', { timeout: 60_000 }, () => {
  it('builds on first run, passes arguments and the exit code through, rebuilds only when a source changed', async () => {
    const p = await project();
    await p.writeEntry(ENTRY('one'));

    const first = await run(p.root, ['--data-dir', 'x y']);
    expect(first).toEqual({ code: 3, stdout: 'hello one 1.2.3 [--data-dir,x y]\n', stderr: '' });
    expect((await readdir(join(p.root, 'out', 'serve'))).sort()).toEqual(['serve.mjs', 'serve.mjs.map']);

    // Unchanged sources: the same bundle runs again.
    expect((await run(p.root)).stdout).toBe('hello one 1.2.3 []\n');

    await p.writeEntry(ENTRY('two'));
    expect((await run(p.root)).stdout).toBe('hello two 1.2.3 []\n');
  });

  it('lets concurrent first runs all start, each from a whole bundle, leaving no temp files', async () => {
    const p = await project();
    await p.writeEntry(ENTRY('together'));
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => run(p.root, [String(i)])));
    results.forEach((result, i) => expect(result).toEqual({ code: 3, stdout: `hello together 1.2.3 [${i}]\n`, stderr: '' }));
    expect((await readdir(join(p.root, 'out', 'serve'))).sort()).toEqual(['serve.mjs', 'serve.mjs.map']);
  });

  it('answers a source that does not compile with one line naming the file, and exit code 1', async () => {
    const p = await project();
    await p.writeEntry('const broken = ;\n');
    const result = await run(p.root, ['--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^berth serve: could not build the server from main\/: .+ \(main\/cli\/serve\.ts:1:\d+\)\n$/);
  });
});
