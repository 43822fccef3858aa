/**
 * The `serve` process as a user runs it (README, "`serve`"): one ready line, the token file, clean
 * exits on signals, and clear one-line refusals.
 */
import { createServer, type Server } from 'node:net';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireTool } from '../registries/rig/tools';
import { call, raw, ROOT, runCommand, runServe, startServe, tempDir, type ServeProcess } from './serve-process';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const dir = await tempDir('berth-serve-');
  cleanups.push(dir.cleanup);
  return join(dir.path, 'data');
}

async function start(args: string[], env?: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const serve = await startServe(args, env);
  cleanups.push(() => serve.stop('SIGKILL'));
  return serve;
}

// Each test starts one or more processes; a loaded 2-core machine needs room.
describe('serve', { timeout: 60_000 }, () => {
  it('prints one line with the URL, creates a 0600 token, exits 0 on SIGTERM with the data kept', async () => {
    const data = await dataDir();
    const first = await start(['--data-dir', data, '--port', '0']);
    expect(first.stdout().trim().split('\n')).toEqual([first.readyLine]);
    expect(first.readyLine).toBe(
      `Berth API listening on http://127.0.0.1:${first.port} (token: created and stored in ${join(data, 'token')})`,
    );

    const tokenFile = join(data, 'token');
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    // The data folder is this user's alone (private repos are in it).
    expect((await stat(data)).mode & 0o777).toBe(0o700);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    // 32 random bytes in base64url: 256 bits, far above the 128 required.
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await call(first.url, 'POST', '/v1/repositories/kept/', { token, body: { repo_name: 'repo' } })).status).toBe(201);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.stderr()).toBe('');

    const second = await start(['--data-dir', data, '--port', '0']);
    expect(second.readyLine).toContain(`(token: stored in ${join(data, 'token')})`);
    expect((await readFile(tokenFile, 'utf8')).trim()).toBe(token);
    expect((await call(second.url, 'GET', '/v1/repositories/kept/repo')).status).toBe(200);
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('uses BERTH_TOKEN instead of the stored token and says so', async () => {
    const data = await dataDir();
    const envToken = 'env-token-0123456789abcdef0123456789';
    const serve = await start(['--data-dir', data, '--port', '0'], { BERTH_TOKEN: envToken });
    expect(serve.readyLine).toMatch(/\(token: from BERTH_TOKEN\)$/);
    expect((await call(serve.url, 'POST', '/v1/namespaces/', { token: envToken, body: { namespace: 'envns' } })).status).toBe(201);
    expect((await call(serve.url, 'POST', '/v1/namespaces/', { token: 'something-else', body: { namespace: 'other' } })).status).toBe(401);
    expect(await serve.stop()).toBe(0);
  });

  it('refuses a data dir another serve holds, with one clear line', async () => {
    const data = await dataDir();
    const holder = await start(['--data-dir', data, '--port', '0']);
    const second = await runServe(['--data-dir', data, '--port', '0']);
    expect(second.code).not.toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(/^berth serve: .*in use by another Berth process/);
    expect((await call(holder.url, 'GET', '/v1/_ping')).status).toBe(200);
    expect(await holder.stop()).toBe(0);
  });

  it('reports a port in use clearly, and lets the data dir go', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as { port: number }).port;
    const data = await dataDir();

    const refused = await runServe(['--data-dir', data, '--port', String(port)]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim()).toBe(
      `berth serve: Port ${port} is already in use on 127.0.0.1: stop the other program or choose another port.`,
    );

    const next = await start(['--data-dir', data, '--port', '0']);
    expect(await next.stop()).toBe(0);
  });

  it('binds the --host address and accepts it as a Host, besides the loopback names', async () => {
    const data = await dataDir();
    const serve = await start(['--data-dir', data, '--port', '0', '--host', '127.0.0.2']);
    expect(serve.url).toBe(`http://127.0.0.2:${serve.port}`);
    const own = await raw(serve.port, { address: '127.0.0.2', path: '/v1/_ping' });
    expect(own.status).toBe(200);
    const loopbackName = await raw(serve.port, { address: '127.0.0.2', path: '/v1/_ping', headers: { host: `localhost:${serve.port}` } });
    expect(loopbackName.status).toBe(200);
    const other = await raw(serve.port, { address: '127.0.0.2', path: '/v1/_ping', headers: { host: `127.0.0.3:${serve.port}` } });
    expect(other.status).toBe(403);
    // Bound to 127.0.0.2 only: nothing answers on 127.0.0.1 at that port.
    await expect(raw(serve.port, { path: '/v1/_ping' })).rejects.toThrow(/ECONNREFUSED/);
    expect(await serve.stop()).toBe(0);
  });

  it('documents every option in --help', async () => {
    const help = await runServe(['--help']);
    expect(help.code).toBe(0);
    for (const option of [
      '--data-dir',
      '--port',
      '--host',
      '--allow-origin',
      '--request-timeout',
      '--no-anonymous-reads',
      '--help',
      'BERTH_TOKEN',
    ]) {
      expect(help.stdout).toContain(option);
    }
  });

  it('refuses bad options with one clear line and a non-zero exit', async () => {
    const data = await dataDir();
    const cases: [string[], RegExp][] = [
      [['--port', '5080'], /required option '--data-dir <dir>' not specified/],
      [['--data-dir', data, '--port', 'abc'], /--port.*whole number/],
      [['--data-dir', data, '--port', '70000'], /--port.*whole number/],
      [['--data-dir', data, '--allow-origin', 'not a url'], /--allow-origin.*origin/],
      [['--data-dir', data, '--bogus'], /unknown option '--bogus'/],
      [['--data-dir', data, '--host', '203.0.113.7', '--port', '0'], /Cannot listen on 203\.0\.113\.7/],
    ];
    const results = await Promise.all(cases.map(([args]) => runServe(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const res = results[i]!;
      expect({ args, code: res.code === 0 }).toEqual({ args, code: false });
      expect(res.stderr).toMatch(/^berth serve: /);
      expect(res.stderr).toMatch(message);
      expect(res.stdout).toBe('');
    }
  });

  it('reports a data file it had to move aside', async () => {
    const data = await dataDir();
    const first = await start(['--data-dir', data, '--port', '0']);
    const token = (await readFile(join(data, 'token'), 'utf8')).trim();
    expect((await call(first.url, 'POST', '/v1/repositories/broken/', { token, body: { repo_name: 'repo' } })).status).toBe(201);
    expect(await first.stop()).toBe(0);
    const repos = join(data, 'namespaces', 'broken', 'repos');
    const [file] = await readdir(repos);
    await writeFile(join(repos, file!), '{"torn":');

    const second = await start(['--data-dir', data, '--port', '0']);
    // The store loads namespaces in the background: a read makes sure this one has loaded.
    await call(second.url, 'GET', '/v1/repositories/broken/', { token });
    await expect.poll(() => second.stderr(), { timeout: 10_000 }).toMatch(/^berth serve: warning: .*broken/m);
    expect(await second.stop()).toBe(0);
  });
});

describe("the README's curl examples", { timeout: 60_000 }, () => {
  it('work as written against serve (port and folder aside)', async () => {
    // Never skipped: without curl the test fails, naming the install command (.ci/run installs it).
    requireTool('curl', 'apt-get install curl');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('With `npm run serve -- --data-dir ./data --port 5080` running:'));
    const snippet = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet).toBeDefined();
    const dir = await tempDir('berth-readme-');
    cleanups.push(dir.cleanup);
    const serve = await start(['--data-dir', join(dir.path, 'data'), '--port', '0']);
    // The examples use port 5080, which a test cannot count on being free.
    const script = snippet!.replaceAll('127.0.0.1:5080', `127.0.0.1:${serve.port}`).replaceAll('curl -s ', 'curl -sS --fail-with-body ');
    const run = await runCommand('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir.path });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"repo_path":"madams/repo"');
    expect(run.stdout).toContain('"count":1');
    expect(run.stdout).toContain('"tag":"latest"');
    expect(await serve.stop()).toBe(0);
  });
});
