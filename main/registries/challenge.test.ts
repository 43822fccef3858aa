import { describe, expect, it } from 'vitest';
import { parseChallenges, preferredChallenge } from './challenge';

describe('WWW-Authenticate parsing', () => {
  it("reads Distribution's Bearer challenge", () => {
    expect(
      parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull,push"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:team/app:pull,push' },
      },
    ]);
  });

  it('splits several challenges in one header, commas inside quotes included', () => {
    const challenges = parseChallenges('Basic realm="a, b", Bearer realm="https://t/x",service="s",error="insufficient_scope", Negotiate');
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'bearer', 'negotiate']);
    expect(challenges[0]?.params).toEqual({ realm: 'a, b' });
    expect(challenges[1]?.params).toEqual({ realm: 'https://t/x', service: 's', error: 'insufficient_scope' });
  });

  it('reads repeated headers, escaped quotes, unquoted values and odd spacing', () => {
    const challenges = parseChallenges(['BASIC Realm = "say \\"hi\\""', 'bearer realm=https://t/token , service=svc']);
    expect(challenges).toEqual([
      { scheme: 'basic', params: { realm: 'say "hi"' } },
      { scheme: 'bearer', params: { realm: 'https://t/token', service: 'svc' } },
    ]);
  });

  it('keeps a token68 apart from parameters', () => {
    expect(parseChallenges('Negotiate abc123==, Basic realm="r"')).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'abc123==' },
      { scheme: 'basic', params: { realm: 'r' } },
    ]);
  });

  it('prefers Bearer with a realm, then Basic, and ignores what it cannot answer', () => {
    expect(preferredChallenge(parseChallenges('Basic realm="r", Bearer realm="https://t"'))?.scheme).toBe('bearer');
    expect(preferredChallenge(parseChallenges('Bearer service="no-realm", Basic realm="r"'))?.scheme).toBe('basic');
    expect(preferredChallenge(parseChallenges('Negotiate, NTLM'))).toBeNull();
    expect(parseChallenges(undefined)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
  });
});
