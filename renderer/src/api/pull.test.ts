import { describe, expect, it } from 'vitest';
import { pullCommand, shortImageId } from './pull';

describe('docker pull lines', () => {
  it("name the linked registry's pull_ref, with a tag or a digest", () => {
    expect(pullCommand('registry.example.com:5000/team/app', 'latest')).toBe('docker pull registry.example.com:5000/team/app:latest');
    expect(pullCommand('docker.io/nginx', 'sha256:abc')).toBe('docker pull docker.io/nginx@sha256:abc');
    expect(pullCommand('docker.io/nginx')).toBe('docker pull docker.io/nginx');
  });

  it('shorten image ids the way `docker images` does', () => {
    const id = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
    expect(shortImageId(id)).toBe('a4002247cb22');
    expect(shortImageId(`sha256:${id}`)).toBe('a4002247cb22');
  });
});
