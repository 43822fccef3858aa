/**
 * The JSON body parser. JSON.parse itself never touches a prototype (a "__proto__" key becomes
 * an ordinary own property), but such keys must not travel further: a body with a `__proto__`
 * key or a `constructor.prototype` pair at any depth is refused as a validation error, distinct
 * from a body that is not JSON at all (`invalid_json`), and so is a body nested deeper than 64
 * levels (nothing Berth accepts is nested like that, and deep nesting is how a client would make
 * recursive code overflow its stack).
 */
import { BerthError } from '../contract/errors';

/** Deepest nesting of objects and arrays a body may have; deeper is refused (400). */
export const MAX_JSON_DEPTH = 64;

type Refusal = { key: string } | { depth: number };

/**
 * Walks the parsed body once, without recursion (a body nested thousands of levels deep must not
 * overflow the stack): refuses nesting deeper than MAX_JSON_DEPTH and the forbidden keys.
 */
function refusal(root: unknown): Refusal | null {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) return { depth };
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') return { key: '__proto__' };
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        return { key: 'constructor.prototype' };
      }
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
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
  const refused = refusal(value);
  if (refused && 'depth' in refused) {
    throw BerthError.validation(
      { non_field_errors: [`JSON nested more than ${MAX_JSON_DEPTH} levels deep is not accepted.`] },
      `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  if (refused) {
    throw BerthError.validation(
      { [refused.key]: ['This key is not allowed in a request body.'] },
      `The JSON body contains a forbidden "${refused.key}" key.`,
    );
  }
  return value;
}
