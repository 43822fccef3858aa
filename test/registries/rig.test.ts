/** The registry rig never skips: without the tools it fails, naming the install command. */
import { afterEach, describe, expect, it } from 'vitest';
import { startRegistry } from './rig/registry-process';
import { findTool, requireTool } from './rig/tools';

const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

describe('the registry rig', () => {
  it('finds the installed tools on PATH', () => {
    expect(findTool('docker-registry')).not.toBeNull();
    expect(findTool('skopeo')).not.toBeNull();
    expect(findTool('openssl')).not.toBeNull();
  });

  it('fails with the install command when docker-registry is missing', async () => {
    process.env.PATH = '/nonexistent';
    expect(() => requireTool('docker-registry')).toThrow('apt-get install docker-registry skopeo openssl');
    await expect(startRegistry()).rejects.toThrow(/docker-registry is not installed.*apt-get install docker-registry skopeo openssl/);
  });

  it('names the install command it is given for another missing tool (curl for the README tests)', () => {
    process.env.PATH = '/nonexistent';
    expect(() => requireTool('curl', 'apt-get install curl')).toThrow(
      'curl is not installed (not found on PATH). The tests need it: apt-get install curl',
    );
  });
});
