/**
 * The JSON body parser. JSON.parse itself never touches a prototype (a "__proto__" key becomes
 * an ordinary own property), but such keys must not travel further (SPEC §3.3): a body with a
 * `__proto__` key or a `constructor.prototype` pair at any depth is refused as a validation
 * error, distinct from a body that is not JSON at all (`invalid_json`).
 */
import { BerthError } from '../contract/errors';

function findForbiddenKey(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findForbiddenKey(item);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (key === '__proto__') return '__proto__';
    if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
      return 'constructor.prototype';
    }
    const found = findForbiddenKey(child);
    if (found) return found;
  }
  return null;
}

/** Parses a request body; an empty body is no body. Throws BerthError on anything refused. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BerthError('invalid_json', `JSON parse error - ${(err as Error).message}`);
  }
  // The walk is only needed when a forbidden key could be spelled out, directly or escaped.
  if (text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')) {
    const key = findForbiddenKey(value);
    if (key) {
      throw BerthError.validation(
        { [key]: ['This key is not allowed in a request body.'] },
        `The JSON body contains a forbidden "${key}" key.`,
      );
    }
  }
  return value;
}
