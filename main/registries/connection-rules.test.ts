import { describe, expect, it } from 'vitest';
import { BerthError } from '../contract/errors';
import { checkNewConnection, checkUpdatedConnection, type Connection, reachChanged } from './connection-rules';

function errorsOf(run: () => unknown): Record<string, string[]> {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).code).toBe('validation_error');
    return (err as BerthError).errors ?? {};
  }
  throw new Error('expected a validation_error');
}

const saved: Connection = {
  url: 'https://registry.corp:5000',
  kind: 'distribution',
  insecure: false,
  auto_import: false,
  use_docker_config: false,
  ca_pem: null,
  username: 'alice',
};

describe('a new connection', () => {
  it('is normalised: Hub by any of its names, empty texts mean none', () => {
    expect(checkNewConnection({ name: 'hub', url: 'index.docker.io', username: '', password: '', ca_pem: '' })).toEqual({
      connection: {
        url: 'https://docker.io',
        kind: 'dockerhub',
        insecure: false,
        auto_import: false,
        use_docker_config: false,
        ca_pem: null,
        username: null,
      },
      password: { kind: 'remove' },
    });
    expect(checkNewConnection({ name: 'corp', url: 'https://Registry.Corp:5000/', username: 'alice', password: 'pw' }).connection.url).toBe(
      'https://registry.corp:5000',
    );
  });

  it('allows plain http to loopback, or elsewhere only with insecure', () => {
    expect(checkNewConnection({ name: 'local', url: 'http://127.0.0.1:5000' }).connection.url).toBe('http://127.0.0.1:5000');
    expect(errorsOf(() => checkNewConnection({ name: 'lan', url: 'http://10.0.0.5:5000' }))).toEqual({
      url: ['uses plain http: that needs insecure: true (or a loopback host).'],
    });
    expect(checkNewConnection({ name: 'lan', url: 'http://10.0.0.5:5000', insecure: true }).connection).toMatchObject({
      url: 'http://10.0.0.5:5000',
      insecure: true,
    });
  });

  it('names every bad field at once', () => {
    expect(
      errorsOf(() =>
        checkNewConnection({
          name: 'A',
          url: 'ftp://x',
          username: 'al:ice',
          password: 'p\u0000w',
          ca_pem: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----',
        }),
      ),
    ).toEqual({
      name: ['Must be at least 2 characters.'],
      url: ['must be https://host[:port] (or docker.io for Docker Hub).'],
      username: ['cannot contain ":" (registries send it in Basic credentials).'],
      password: ['cannot contain control characters.'],
      ca_pem: ['holds a certificate that cannot be read: paste the CA certificate as PEM.'],
    });
  });

  it('takes a password only with its username, and none beside Docker’s credentials', () => {
    expect(errorsOf(() => checkNewConnection({ name: 'corp', url: saved.url, password: 'pw' }))).toEqual({
      password: ['needs a username: give the username it belongs to.'],
    });
    const why = "must be left out when use_docker_config is on: Docker's own credentials are used.";
    expect(
      errorsOf(() => checkNewConnection({ name: 'corp', url: saved.url, username: 'alice', password: 'pw', use_docker_config: true })),
    ).toEqual({
      username: [why],
      password: [why],
    });
  });

  it('keeps a multi-line key as a password (GCR’s _json_key), refuses other control characters', () => {
    const key = '{\n  "type": "service_account",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n…"\n}';
    expect(checkNewConnection({ name: 'gcr', url: 'https://gcr.io', username: '_json_key', password: key }).password).toEqual({
      kind: 'set',
      password: key,
    });
  });
});

describe('an update', () => {
  it('keeps what it does not name, and the saved password', () => {
    const checked = checkUpdatedConnection(saved, true, { auto_import: true });
    expect(checked).toEqual({ connection: { ...saved, auto_import: true }, password: { kind: 'keep' } });
    expect(reachChanged(saved, checked.connection, checked.password)).toBe(false);
  });

  it('going anonymous removes the password; a new password is a change of reach', () => {
    const anonymous = checkUpdatedConnection(saved, true, { username: null });
    expect(anonymous).toEqual({ connection: { ...saved, username: null }, password: { kind: 'remove' } });
    const newPassword = checkUpdatedConnection(saved, true, { password: 'new' });
    expect(reachChanged(saved, newPassword.connection, newPassword.password)).toBe(true);
  });

  it('refuses a password for an anonymous connection', () => {
    expect(errorsOf(() => checkUpdatedConnection({ ...saved, username: null }, false, { password: 'pw' }))).toEqual({
      password: ['needs a username: give the username it belongs to.'],
    });
  });

  it("switching to Docker's credentials drops the saved ones", () => {
    expect(checkUpdatedConnection(saved, true, { use_docker_config: true })).toEqual({
      connection: { ...saved, use_docker_config: true, username: null },
      password: { kind: 'remove' },
    });
  });
});
