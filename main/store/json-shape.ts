/**
 * Reading records from JSON read off disk: each helper copies one known field into fresh plain
 * data or throws a ShapeError naming it, so nothing read from a file (a `__proto__` key
 * included) ever becomes anything but plain data in memory.
 */

export class ShapeError extends Error {}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function objectOf(raw: unknown, what = 'the file'): Json {
  if (!isObject(raw)) throw new ShapeError(`${what} does not hold a JSON object`);
  return raw;
}

export function str(o: Json, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ShapeError(`"${key}" is not text`);
  return v;
}

export function strOrNull(o: Json, key: string): string | null {
  const v = o[key];
  if (v === null) return null;
  if (typeof v !== 'string') throw new ShapeError(`"${key}" is not text or null`);
  return v;
}

export function bool(o: Json, key: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new ShapeError(`"${key}" is not true or false`);
  return v;
}

export function count(o: Json, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ShapeError(`"${key}" is not a count`);
  return v;
}

export function list(o: Json, key: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ShapeError(`"${key}" is not a list`);
  return v;
}

/** Deeper than any request may nest: only a file edited by hand gets here. */
const MAX_JSON_DEPTH = 100;

/** A fresh copy of JSON data read from disk, without `__proto__` keys (they could reach a prototype). */
export function plainJson(value: unknown, key: string, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_JSON_DEPTH) throw new ShapeError(`"${key}" is nested too deeply`);
  if (Array.isArray(value)) return value.map((item) => plainJson(item, key, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k !== '__proto__') out[k] = plainJson(v, key, depth + 1);
  }
  return out;
}
