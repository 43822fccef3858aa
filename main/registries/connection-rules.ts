/**
 * The rules of a registry connection: its name, URL, credentials and CA, checked together so one
 * validation_error names every bad field. A create is checked whole; an update is merged with
 * what is saved first, then checked the same way.
 */
import { X509Certificate } from 'node:crypto';
import { BerthError, isBerthError, type FieldErrors } from '../contract/errors';
import { validateRegistryName } from '../contract/names';
import type { CreateRegistryInput, UpdateRegistryInput } from '../contract/types';
import { type DockerHubHosts, type RegistryKind, resolveEndpoint } from './endpoint';

const USERNAME_MAX = 255;
/** Room for a cloud's JSON key used as a password (GCR's _json_key), not for anything bigger. */
const PASSWORD_MAX = 16 * 1024;
const CA_PEM_MAX = 64 * 1024;
// Control characters other than tab and newlines have no place in a credential.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A connection as it is saved and used (the password apart). */
export interface Connection {
  url: string;
  kind: RegistryKind;
  insecure: boolean;
  auto_import: boolean;
  use_docker_config: boolean;
  ca_pem: string | null;
  /** null: anonymous (or Docker's credentials, with use_docker_config). */
  username: string | null;
}

/** What a save does to the saved password: keep it, remove it, or set a new one. */
export type PasswordChange = { kind: 'keep' } | { kind: 'remove' } | { kind: 'set'; password: string };

export interface CheckedConnection {
  connection: Connection;
  password: PasswordChange;
}

/** An empty text means "none" for the optional texts (a form's empty field). */
function blankToNull(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' && value.trim() === '' ? null : value;
}

function addError(errors: FieldErrors, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

function checkCaPem(pem: string): string | null {
  if (pem.length > CA_PEM_MAX) return `must be at most ${CA_PEM_MAX / 1024} KiB of PEM.`;
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return 'must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …).';
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return 'holds a certificate that cannot be read: paste the CA certificate as PEM.';
    }
  }
  return null;
}

/** Checks a connection as it would be saved; throws one validation_error naming every bad field. */
function check(
  merged: Connection,
  password: PasswordChange,
  hasSavedPassword: boolean,
  given: { username: boolean; password: boolean },
  dockerHub: Partial<DockerHubHosts> | undefined,
  errors: FieldErrors = {},
): CheckedConnection {
  let url = merged.url;
  let kind = merged.kind;
  try {
    const endpoint = resolveEndpoint(merged.url, { insecure: merged.insecure, ...(dockerHub ? { dockerHub } : {}) });
    url = endpoint.url;
    kind = endpoint.kind;
  } catch (err) {
    if (!isBerthError(err) || !err.errors) throw err;
    for (const message of err.errors.url ?? [err.detail]) addError(errors, 'url', message);
  }
  const { username } = merged;
  if (username !== null) {
    if (username.length > USERNAME_MAX) addError(errors, 'username', `must be at most ${USERNAME_MAX} characters.`);
    if (username.includes(':')) addError(errors, 'username', 'cannot contain ":" (registries send it in Basic credentials).');
    if (CONTROL.test(username) || /[\r\n\t]/.test(username)) addError(errors, 'username', 'cannot contain control characters.');
  }
  if (password.kind === 'set') {
    if (password.password.length > PASSWORD_MAX) addError(errors, 'password', `must be at most ${PASSWORD_MAX / 1024} KiB.`);
    if (CONTROL.test(password.password)) addError(errors, 'password', 'cannot contain control characters.');
  }
  const keepsPassword = password.kind === 'set' || (password.kind === 'keep' && hasSavedPassword);
  if (merged.use_docker_config) {
    const why = "must be left out when use_docker_config is on: Docker's own credentials are used.";
    if (given.username && username !== null) addError(errors, 'username', why);
    if (given.password && password.kind === 'set') addError(errors, 'password', why);
  } else if (keepsPassword && username === null) {
    addError(errors, 'password', 'needs a username: give the username it belongs to.');
  }
  if (merged.ca_pem !== null) {
    const problem = checkCaPem(merged.ca_pem);
    if (problem) addError(errors, 'ca_pem', problem);
  }
  if (Object.keys(errors).length > 0) throw BerthError.validation(errors);
  // Docker's credentials replace saved ones: none are kept beside them.
  if (merged.use_docker_config) return { connection: { ...merged, url, kind, username: null }, password: { kind: 'remove' } };
  return { connection: { ...merged, url, kind }, password };
}

function passwordChange(value: string | null | undefined): PasswordChange {
  const password = value === undefined ? undefined : value === null || value === '' ? null : value;
  return password === undefined ? { kind: 'keep' } : password === null ? { kind: 'remove' } : { kind: 'set', password };
}

export function checkNewConnection(input: CreateRegistryInput, dockerHub?: Partial<DockerHubHosts>): CheckedConnection {
  const errors: FieldErrors = {};
  const badName = validateRegistryName(input.name);
  if (badName) addError(errors, 'name', badName);
  const merged: Connection = {
    url: input.url,
    kind: 'distribution',
    insecure: input.insecure ?? false,
    auto_import: input.auto_import ?? false,
    use_docker_config: input.use_docker_config ?? false,
    ca_pem: blankToNull(input.ca_pem) ?? null,
    username: blankToNull(input.username) ?? null,
  };
  const password = passwordChange(input.password);
  // Nothing is saved yet: no password given means none.
  return check(merged, password.kind === 'keep' ? { kind: 'remove' } : password, false, given(input), dockerHub, errors);
}

/** The saved connection with an update applied; `username: null` (or "") also removes the password. */
export function checkUpdatedConnection(
  saved: Connection,
  hasSavedPassword: boolean,
  patch: UpdateRegistryInput,
  dockerHub?: Partial<DockerHubHosts>,
): CheckedConnection {
  const username = patch.username === undefined ? saved.username : (blankToNull(patch.username) ?? null);
  let password = passwordChange(patch.password);
  // Going anonymous leaves no password behind.
  if (username === null && password.kind === 'keep' && patch.username !== undefined) password = { kind: 'remove' };
  const merged: Connection = {
    url: patch.url ?? saved.url,
    kind: saved.kind,
    insecure: patch.insecure ?? saved.insecure,
    auto_import: patch.auto_import ?? saved.auto_import,
    use_docker_config: patch.use_docker_config ?? saved.use_docker_config,
    ca_pem: patch.ca_pem === undefined ? saved.ca_pem : (blankToNull(patch.ca_pem) ?? null),
    username,
  };
  return check(merged, password, hasSavedPassword, given(patch), dockerHub);
}

function given(input: UpdateRegistryInput): { username: boolean; password: boolean } {
  return { username: input.username !== undefined, password: input.password !== undefined };
}

/** Whether the way Berth reaches the registry changed (so a save checks it again). */
export function reachChanged(before: Connection, after: Connection, password: PasswordChange): boolean {
  return (
    before.url !== after.url ||
    before.insecure !== after.insecure ||
    before.ca_pem !== after.ca_pem ||
    before.use_docker_config !== after.use_docker_config ||
    before.username !== after.username ||
    password.kind !== 'keep'
  );
}
