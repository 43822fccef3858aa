/**
 * The events endpoint's secret check: the registry's secret is hashed once and kept, and a new
 * secret (a registry removed and added again under its name) replaces it at once.
 */
import { describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import type { RegistryService } from '../registry/sync-facing';
import type { RegistryConnections } from '../registries/index';
import { EventIntake } from './events';
import type { LinkIndex } from './link-index';

function intakeWith(secrets: Map<string, string>): EventIntake {
  const connections = {
    eventsSecret: async (name: string) => {
      const secret = secrets.get(name);
      if (!secret) throw BerthError.notFound(`No registry ${name}.`);
      return secret;
    },
  } as unknown as RegistryConnections;
  return new EventIntake({
    registry: {} as RegistryService,
    connections,
    index: {} as LinkIndex,
    autoImport: async () => false,
  });
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof BerthError ? e.code : String(e)),
  );

describe('the events secret', () => {
  it("accepts the registry's own secret, again and again, and nothing else", async () => {
    const intake = intakeWith(new Map([['hub', 'first-secret']]));
    for (let i = 0; i < 3; i++) expect(await code(intake.receive('hub', 'first-secret', { events: [] }))).toBe('accepted');
    expect(await code(intake.receive('hub', 'first-secreT', { events: [] }))).toBe('unauthorized');
    expect(await code(intake.receive('hub', undefined, { events: [] }))).toBe('unauthorized');
    expect(await code(intake.receive('other', 'first-secret', { events: [] }))).toBe('unauthorized');
  });

  it('takes a new secret at once and refuses the old one', async () => {
    const secrets = new Map([['hub', 'first-secret']]);
    const intake = intakeWith(secrets);
    expect(await code(intake.receive('hub', 'first-secret', { events: [] }))).toBe('accepted');
    secrets.set('hub', 'second-secret');
    expect(await code(intake.receive('hub', 'first-secret', { events: [] }))).toBe('unauthorized');
    expect(await code(intake.receive('hub', 'second-secret', { events: [] }))).toBe('accepted');
  });
});
