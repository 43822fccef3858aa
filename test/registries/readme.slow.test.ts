/**
 * The README's registry commands, run as a new user runs them: docs/registries.md's setup pushes
 * its images (an OCI layout written by hand, pushed with skopeo) to a real docker-registry with
 * deletes on, then each of the README's curl commands runs against a real `serve`, and each answer
 * is checked. Only the ports (and the setup's folder) differ from what the documents say.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCommand, startServe, tempDir, type ServeProcess } from '../http/serve-process';
import { startRegistry, type RunningRegistry } from './rig/registry-process';
import { requireTool } from './rig/tools';

let registry: RunningRegistry | undefined;
let serve: ServeProcess | undefined;
let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
let token: string;

/** The `n`th ```sh block (from 0) after `heading` in a document of the repo. */
async function shellBlock(file: string, heading: string, n: number): Promise<string> {
  const text = await readFile(join(ROOT, file), 'utf8');
  const at = text.indexOf(heading);
  expect(at, `${file} has "${heading}"`).toBeGreaterThanOrEqual(0);
  const blocks = [...text.slice(at).matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(blocks.length, `${file}: shell blocks after "${heading}"`).toBeGreaterThan(n);
  return blocks[n]!;
}

/** A block's commands: comments and blank lines left out, `\` continuations joined. */
function commands(block: string): string[] {
  return block
    .replaceAll(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The documents' ports (Berth on 5080, the registry on 5000) replaced by this test's. */
function withPorts(text: string): string {
  return text.replaceAll('127.0.0.1:5080', `127.0.0.1:${serve!.port}`).replaceAll('127.0.0.1:5000', `127.0.0.1:${registry!.port}`);
}

/** Runs one of the README's curl commands as written, adding only the answer's status after its body. */
async function runCurl(command: string): Promise<{ status: number; body: unknown }> {
  expect(command).toMatch(/^curl -s /);
  const script = withPorts(command).replace(/^curl -s /, `curl -sS -w '\\n%{http_code}' `);
  const run = await runCommand('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir!.path, env: { TOKEN: token } });
  expect({ command, stderr: run.stderr, code: run.code }).toEqual({ command, stderr: '', code: 0 });
  const cut = run.stdout.lastIndexOf('\n');
  const text = run.stdout.slice(0, cut);
  return { status: Number(run.stdout.slice(cut + 1)), body: text === '' ? undefined : JSON.parse(text) };
}

/** The registry's own tag list, asked over the v2 API (not through Berth). */
async function registryTags(repository: string): Promise<string[]> {
  const res = await fetch(`${registry!.url}/v2/${repository}/tags/list`);
  const body = (await res.json()) as { tags: string[] | null };
  return (body.tags ?? []).sort();
}

beforeAll(async () => {
  requireTool('curl', 'apt-get install curl');
  requireTool('skopeo');
  dir = await tempDir('berth-readme-registry-');
  registry = await startRegistry({ deleteEnabled: true });
  serve = await startServe(['--data-dir', join(dir.path, 'data'), '--port', '0']);
  token = (await readFile(join(dir.path, 'data', 'token'), 'utf8')).trim();
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  await registry?.stop();
  await dir?.cleanup();
});

describe("the README's registry commands", { timeout: 120_000 }, () => {
  it('add a registry, list its catalogue and tags, read a two-platform manifest and delete a tag, as written', async () => {
    // docs/registries.md's setup: its second block writes the OCI layout and pushes it.
    const setup = await shellBlock('docs/registries.md', '## Trying it with a local registry', 1);
    const pushed = await runCommand('bash', ['-euo', 'pipefail', '-c', withPorts(setup.replaceAll('/tmp/reg', dir!.path))], {
      cwd: dir!.path,
      timeoutMs: 60_000,
    });
    expect({ code: pushed.code, stderr: pushed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await registryTags('team/app')).toEqual(['1.0', 'dev', 'latest']);
    expect(await registryTags('team/multi')).toEqual(['v1']);

    const steps = commands(await shellBlock('README.md', '**Registries.**', 0));
    expect(steps).toHaveLength(6);
    const [add, catalogue, tags, manifest, refusedDelete, deleteAll] = steps as [string, string, string, string, string, string];

    const added = await runCurl(add);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      name: 'local',
      url: `http://127.0.0.1:${registry!.port}`,
      kind: 'distribution',
      has_password: false,
      status: { ok: true },
    });

    expect(await runCurl(catalogue)).toEqual({ status: 200, body: { results: ['team/app', 'team/multi'], next: null } });
    expect(await runCurl(tags)).toEqual({ status: 200, body: { repository: 'team/app', results: ['1.0', 'dev', 'latest'], next: null } });

    const multi = await runCurl(manifest);
    expect(multi.status).toBe(200);
    expect(multi.body).toMatchObject({
      repository: 'team/multi',
      reference: 'v1',
      media_type: 'application/vnd.oci.image.index.v1+json',
      config: null,
      pull_ref: `127.0.0.1:${registry!.port}/team/multi`,
      platforms: [
        { os: 'linux', architecture: 'amd64', variant: null },
        { os: 'linux', architecture: 'arm64', variant: null },
      ],
    });
    const head = await fetch(`${registry!.url}/v2/team/multi/manifests/v1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    expect((multi.body as { digest: string }).digest).toBe(head.headers.get('docker-content-digest'));

    // latest shares its image with 1.0: refused, naming 1.0, and nothing deleted; then both go.
    const refused = await runCurl(refusedDelete);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'conflict', detail: expect.stringMatching(/\b1\.0\b/) as unknown });
    expect(await registryTags('team/app')).toEqual(['1.0', 'dev', 'latest']);
    expect(await runCurl(deleteAll)).toEqual({ status: 204, body: undefined });
    expect(await registryTags('team/app')).toEqual(['dev']);
  });
});
