/**
 * A connection's CA bundle read from real certificates, made by the openssl CLI (a process, so
 * this test is in the slow project; the other connection rules are in connection-rules.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCertificate } from '../../test/registries/rig/certs';
import { checkNewConnection } from './connection-rules';

describe('a new connection', () => {
  it('reads a CA bundle of real certificates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-ca-'));
    try {
      const one = makeCertificate(dir, 'one');
      const two = makeCertificate(dir, 'two');
      const pem = `${one.certPem}\n${two.certPem}`;
      expect(checkNewConnection({ name: 'corp', url: 'https://registry.corp:5000', ca_pem: pem }).connection.ca_pem).toBe(pem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
