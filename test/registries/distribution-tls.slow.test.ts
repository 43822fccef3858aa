/** TLS is always verified; a registry with its own CA is reached by trusting that CA (ca_pem). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../main/registries';
import { makeCertificate, type TestCertificate } from './rig/certs';
import { expectCode } from '../support/expect-error';
import { type RunningRegistry, startRegistry } from './rig/registry-process';

let dir: string;
let certificate: TestCertificate;
let registry: RunningRegistry;
const clients: RegistryClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-tls-'));
  certificate = makeCertificate(dir, 'registry-tls');
  registry = await startRegistry({ tls: { certPath: certificate.certPath, keyPath: certificate.keyPath } });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a registry serving TLS with a self-signed certificate', () => {
  it('is refused without its CA, with a hint to add ca_pem', async () => {
    const client = new RegistryClient({ url: registry.url });
    clients.push(client);
    const error = await expectCode(client.ping(), 'registry_unreachable');
    expect(error.detail).toMatch(/TLS verification failed/);
    expect(error.detail).toContain('ca_pem');
  });

  it('is reached when its certificate is given as ca_pem', async () => {
    const client = new RegistryClient({ url: registry.url, caPem: certificate.certPem });
    clients.push(client);
    await client.ping();
    expect(await client.listRepositories({ n: 5 })).toEqual({ results: [], next: null });
  });
});
