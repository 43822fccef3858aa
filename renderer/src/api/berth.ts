/**
 * The renderer's only door to the backend: `window.berth`, exposed by the preload (Electron) or
 * injected by the test harness. Every method rejects with a plain ErrorBody.
 */
import type { BerthApi } from '../../../main/contract/api';
import type { ErrorBody } from '../../../main/contract/errors';

declare global {
  interface Window {
    berth?: BerthApi;
  }
}

export function hasBerth(): boolean {
  return typeof window !== 'undefined' && window.berth !== undefined;
}

export function berth(): BerthApi {
  const api = window.berth;
  if (!api) throw { detail: 'The Berth backend is not connected to this window.', code: 'internal_error' } satisfies ErrorBody;
  return api;
}

/** Whatever a call rejected with, as the API's error body (detail is always a sentence). */
export function toErrorBody(error: unknown): ErrorBody {
  if (error && typeof error === 'object' && 'detail' in error && typeof (error as ErrorBody).detail === 'string') {
    const body = error as ErrorBody;
    return { detail: body.detail, code: body.code ?? 'internal_error', ...(body.errors ? { errors: body.errors } : {}) };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { detail: detail || 'Something went wrong.', code: 'internal_error' };
}

export function isNotFound(error: unknown): boolean {
  return toErrorBody(error).code === 'not_found';
}

/**
 * The field messages of a validation error when every field it names is one the form shows, so
 * they go under those fields; null when the error belongs in a toast instead (a disk error, a
 * field the form does not have). An error is reported in one place, never both.
 */
export function inlineFieldErrors(error: unknown, fields: readonly string[]): Record<string, string[]> | null {
  const body = toErrorBody(error);
  if (body.code !== 'validation_error' || !body.errors) return null;
  const named = Object.keys(body.errors);
  return named.length > 0 && named.every((field) => fields.includes(field)) ? body.errors : null;
}
