import { describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import { checkReference, repositoryPath, resolveEndpoint } from './endpoint';

function urlError(url: string, insecure = false): string {
  try {
    resolveEndpoint(url, { insecure });
  } catch (err) {
    return (err as BerthError).errors?.url?.[0] ?? 'no url error';
  }
  return 'accepted';
}

describe('registry URLs', () => {
  it('maps every name of Docker Hub to its registry host', () => {
    for (const url of ['docker.io', 'https://docker.io', 'https://index.docker.io', 'https://index.docker.io/', 'DOCKER.IO']) {
      expect(resolveEndpoint(url)).toMatchObject({ kind: 'dockerhub', url: 'https://docker.io', host: 'docker.io' });
      expect(resolveEndpoint(url).api.origin).toBe('https://registry-1.docker.io');
      expect(resolveEndpoint(url).hubApi?.origin).toBe('https://hub.docker.com');
    }
  });

  it('keeps https registries as their origin, with the port', () => {
    expect(resolveEndpoint('https://registry.corp:5000/')).toMatchObject({
      kind: 'distribution',
      url: 'https://registry.corp:5000',
      host: 'registry.corp:5000',
    });
  });

  it('allows plain http only when insecure or on a loopback host', () => {
    expect(urlError('http://registry.corp')).toMatch(/insecure: true/);
    expect(urlError('http://registry.corp', true)).toBe('accepted');
    expect(urlError('http://127.0.0.1:5000')).toBe('accepted');
    expect(urlError('http://localhost:5000')).toBe('accepted');
    expect(urlError('http://[::1]:5000')).toBe('accepted');
  });

  it('refuses what is not a registry root', () => {
    expect(urlError('registry.corp')).toMatch(/https:\/\/host/);
    expect(urlError('ftp://registry.corp')).toMatch(/https:\/\/host/);
    expect(urlError('https://registry.corp/v2/')).toMatch(/without a path/);
    expect(urlError('https://user:pw@registry.corp')).toMatch(/must not contain credentials/);
  });
});

describe('repository paths and references', () => {
  const hub = resolveEndpoint('docker.io');
  const corp = resolveEndpoint('https://registry.corp');

  it('puts official Hub images under library/', () => {
    expect(repositoryPath(hub, 'nginx')).toBe('library/nginx');
    expect(repositoryPath(hub, 'bitnami/nginx')).toBe('bitnami/nginx');
    expect(repositoryPath(corp, 'nginx')).toBe('nginx');
  });

  it('refuses paths and references that are not names', () => {
    for (const bad of ['', 'UPPER/case', 'a//b', '../x', 'a/../b', 'a b', 'a/', '-a']) {
      expect(() => repositoryPath(corp, bad), bad).toThrow(BerthError);
    }
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x'.repeat(129), 'sha256:short']) {
      expect(() => checkReference(bad), bad).toThrow(BerthError);
    }
    expect(checkReference('v1.2_3-rc')).toBe('v1.2_3-rc');
    expect(checkReference(`sha256:${'a'.repeat(64)}`)).toBe(`sha256:${'a'.repeat(64)}`);
  });
});
