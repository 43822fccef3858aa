import { describe, expect, it } from 'vitest';
import { formatSize, platformLabel, shortDigest, statusKind } from './format';

describe('registry facts as the window shows them', () => {
  it('sizes in decimal units, as docker images prints them', () => {
    expect(formatSize(771)).toBe('771 B');
    expect(formatSize(1000)).toBe('1 kB');
    expect(formatSize(28_400_000)).toBe('28.4 MB');
    expect(formatSize(1_250_000_000)).toBe('1.3 GB');
  });

  it('short digests and platforms', () => {
    expect(shortDigest('sha256:6d78a0c59a53f02f6cb15c19678cd869eac1b91f1d1ebc09f28d3f916eb35125')).toBe('6d78a0c59a53');
    expect(platformLabel({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
    expect(platformLabel({ os: 'linux', architecture: 'amd64', variant: null })).toBe('linux/amd64');
  });

  it('a status is connected, not reachable, or not checked', () => {
    expect(statusKind({ ok: true, checked_at: null, detail: '' })).toBe('ok');
    expect(statusKind({ ok: false, checked_at: null, detail: '' })).toBe('bad');
    expect(statusKind({ ok: null, checked_at: null, detail: '' })).toBe('unknown');
  });
});
