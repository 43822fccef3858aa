/** Turning a registry's non-success answers into errors, and reading its JSON answers. */
import { BerthError } from '../contract/errors';
import { quoteAnswer, registryErrorCodes, registryFailure } from './errors';
import type { Answer } from './http';
import { RETRY_STATUSES } from './retry';

const NOT_FOUND_CODES = new Set(['NAME_UNKNOWN', 'MANIFEST_UNKNOWN', 'BLOB_UNKNOWN', 'NAME_INVALID', 'TAG_INVALID']);

/**
 * The error for an answer that is not a success. `what` names the thing asked for ("the tags of
 * team/app"); the registry's own codes and messages are quoted.
 */
export function failure(answer: Answer, label: string, what: string): BerthError {
  const registry = registryErrorCodes(answer.body);
  const quote = registry?.quote ?? quoteAnswer(answer.body);
  const said = quote ? `: "${quote}"` : '';
  const { status } = answer;
  if (status === 404 && (!registry || registry.codes.some((c) => NOT_FOUND_CODES.has(c)))) {
    return BerthError.notFound(`${label} does not know ${what}${said}.`);
  }
  if (status === 401) return registryFailure('registry_auth_failed', `${label} refused access to ${what}${said}.`);
  if (status === 403) return registryFailure('registry_refused', `${label} denied access to ${what}${said}.`);
  if (status === 405 || registry?.codes.includes('UNSUPPORTED')) {
    return registryFailure('registry_refused', `${label} does not support this operation on ${what}${said}.`);
  }
  if (RETRY_STATUSES.has(status)) {
    const waited = answer.retryAfterRefusedMs
      ? ` It asked to retry after ${Math.ceil(answer.retryAfterRefusedMs / 1000)} s; try again later.`
      : ' Berth retried it 3 times.';
    return registryFailure('registry_error', `${label} answered HTTP ${status} for ${what}${said}.${waited}`);
  }
  return registryFailure('registry_error', `${label} answered HTTP ${status} for ${what}${said}.`);
}

/** The JSON object of a success answer; anything else is a registry_error naming `what`. */
export function jsonObject(answer: Answer, label: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw registryFailure('registry_error', `${label} sent ${what} that is not valid JSON.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw registryFailure('registry_error', `${label} sent ${what} that is not a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/** A list of names from a JSON answer: null or absent is an empty list; anything but strings is an error. */
export function nameList(value: unknown, label: string, what: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw registryFailure('registry_error', `${label} sent ${what} that is not a list of names.`);
  }
  return value as string[];
}
