import { describe, expect, it } from 'vitest';
import type { ServerInfo } from '../../../main/contract/types';
import { pullCommand, registryHost, shortImageId } from './pull';

const info = (over: Partial<ServerInfo>): ServerInfo => ({
  url: 'http://127.0.0.1:5080',
  host: '127.0.0.1',
  port: 5080,
  listening: true,
  error: null,
  anonymous_reads: true,
  data_dir: '/tmp/x',
  version: '0.1.0',
  ...over,
});

describe('docker pull lines', () => {
  it('name the API host and port, the repo path and the tag', () => {
    expect(pullCommand(info({}), 'acme', 'web', 'latest')).toBe('docker pull 127.0.0.1:5080/acme/web:latest');
    expect(pullCommand(info({ url: 'http://[::1]:6000', host: '::1', port: 6000 }), 'acme', 'web')).toBe('docker pull [::1]:6000/acme/web');
  });

  it('fall back to the configured address while the API is not listening', () => {
    expect(registryHost(info({ url: null, listening: false, port: 5081 }))).toBe('127.0.0.1:5081');
  });

  it('shorten image ids the way `docker images` does', () => {
    const id = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
    expect(shortImageId(id)).toBe('a4002247cb22');
    expect(shortImageId(`sha256:${id}`)).toBe('a4002247cb22');
  });
});
