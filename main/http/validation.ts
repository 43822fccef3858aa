/**
 * Fastify's validatorCompiler, built on TypeBox: the route schemas of main/contract/schemas.ts
 * validate requests directly, and a failure is a BerthError `validation_error` whose `errors`
 * come from the contract's one formatter (main/contract/field-errors.ts), as IPC's do.
 *
 * Bodies are checked as sent (no type coercion: `"true"` is not a boolean); query strings are
 * text by nature, so they are converted to the schema's types first (strictly) and unknown
 * query parameters are ignored, as DRF does.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { Kind, type TSchema } from '@sinclair/typebox';
import { BerthError } from '../contract/errors';
import { compileFieldCheck } from '../contract/field-errors';

function isObjectSchema(schema: TSchema): boolean {
  return schema[Kind] === 'Object' && typeof schema.properties === 'object';
}

// A Map, so text such as "constructor" can never find an inherited property.
const BOOLEAN_TEXT = new Map<string, boolean>([
  ['true', true],
  ['1', true],
  ['false', false],
  ['0', false],
]);

/**
 * Query text to the schema's types, strictly: an integer is digits only (not "1.5", "0x10" or
 * " 2"), a boolean is true/false/1/0. Anything else stays text and fails validation by name.
 */
function convertQueryValue(schema: TSchema | undefined, text: string): unknown {
  // Digits beyond 2^53 are still a positive integer: a page_size is clamped, a page is past the end.
  if (schema?.[Kind] === 'Integer') return /^\d+$/.test(text) ? Math.min(Number(text), Number.MAX_SAFE_INTEGER) : text;
  if (schema?.[Kind] === 'Boolean') return BOOLEAN_TEXT.get(text.toLowerCase()) ?? text;
  return text;
}

/** Keeps only the parameters the schema knows (unknown ones are ignored, as DRF does). */
function convertQuery(schema: TSchema, data: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof data !== 'object' || data === null) return out;
  const props = schema.properties as Record<string, TSchema>;
  for (const key of Object.keys(props)) {
    let value = (data as Record<string, unknown>)[key];
    if (value === undefined) continue;
    // A repeated parameter counts once, the last one winning (as Django's QueryDict.get does).
    if (Array.isArray(value)) value = value[value.length - 1];
    out[key] = typeof value === 'string' ? convertQueryValue(props[key], value) : value;
  }
  return out;
}

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = compileFieldCheck(schema);
  const isQuery = httpPart === 'querystring' && isObjectSchema(schema);
  const isBody = httpPart === 'body';
  return (data: unknown) => {
    let value = data;
    if (isQuery) value = convertQuery(schema, data);
    // An absent body is an empty object, so a missing field is reported by its name.
    if (isBody && (value === null || value === undefined)) value = {};
    const errors = check(value);
    return errors ? { error: BerthError.validation(errors) } : { value };
  };
};
