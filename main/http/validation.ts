/**
 * Fastify's validatorCompiler, built on TypeBox: the route schemas of main/contract/schemas.ts
 * validate requests directly, and a failure is a BerthError `validation_error` whose `errors`
 * name each field with a DRF-style message (the shape Docker Hub's clients already read).
 *
 * Bodies are checked as sent (no type coercion: `"true"` is not a boolean); query strings are
 * text by nature, so they are converted to the schema's types first (strictly) and unknown
 * query parameters are ignored, as DRF does.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { BerthError, type FieldErrors } from '../contract/errors';

const NON_FIELD = 'non_field_errors';
const REQUIRED = 'This field is required.';

function messageOf(error: ValueError): string {
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return REQUIRED;
    case ValueErrorType.ObjectAdditionalProperties:
      return 'Unknown field: it cannot be set here.';
    case ValueErrorType.Boolean:
      return 'Must be a valid boolean.';
    case ValueErrorType.String:
      return 'Not a valid string.';
    case ValueErrorType.Integer:
    case ValueErrorType.Number:
      return 'A valid integer is required.';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `Ensure this value is greater than or equal to ${String(error.schema.minimum)}.`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `Ensure this value is less than or equal to ${String(error.schema.maximum)}.`;
    case ValueErrorType.StringMaxLength:
      return `Ensure this field has no more than ${String(error.schema.maxLength)} characters.`;
    case ValueErrorType.Union:
      return unionMessage(error);
    case ValueErrorType.Null:
      return 'Must be null.';
    default:
      return error.message;
  }
}

const KIND_WORDS: Readonly<Record<string, string>> = { Object: 'a JSON object', Null: 'null', String: 'text', Boolean: 'true or false' };

/** A choice among fixed values (ordering) names the value sent; a union of types says what it takes. */
function unionMessage(error: ValueError): string {
  const members = (error.schema.anyOf ?? []) as TSchema[];
  if (members.every((m) => m[Kind] === 'Literal')) return `"${String(error.value)}" is not a valid choice.`;
  return `Must be ${members.map((m) => KIND_WORDS[m[Kind]] ?? String(m[Kind]).toLowerCase()).join(' or ')}.`;
}

function fieldOf(error: ValueError): string {
  // Paths are JSON pointers ("/repo_name"); the first segment is the field the client sent.
  const first = error.path.split('/')[1];
  return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : NON_FIELD;
}

function toFieldErrors(errors: Iterable<ValueError>): FieldErrors {
  const out: FieldErrors = Object.create(null) as FieldErrors;
  for (const error of errors) {
    // A bad union member reports every alternative; one message per field is enough.
    const field = fieldOf(error);
    const message = messageOf(error);
    const list = out[field] ?? (out[field] = []);
    // A missing field is only "required"; the type complaint about its absence is noise.
    if (list[0] === REQUIRED) continue;
    if (message === REQUIRED) list.length = 0;
    if (!list.includes(message)) list.push(message);
  }
  // A plain object again, so it serializes like any other and carries no null prototype into tests.
  return { ...out };
}

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
  const check = TypeCompiler.Compile(schema);
  const isQuery = httpPart === 'querystring';
  const isBody = httpPart === 'body';
  return (data: unknown) => {
    let value = data;
    if (isQuery && isObjectSchema(schema)) value = convertQuery(schema, data);
    // An absent body is an empty object, so a missing field is reported by its name.
    if (isBody && (value === null || value === undefined)) value = {};
    if (isBody && (typeof value !== 'object' || Array.isArray(value)) && isObjectSchema(schema)) {
      const got = Array.isArray(value) ? 'list' : typeof value;
      return { error: BerthError.validation({ [NON_FIELD]: [`Invalid data. Expected a JSON object, but got ${got}.`] }) };
    }
    if (check.Check(value)) return { value };
    return { error: BerthError.validation(toFieldErrors(check.Errors(value))) };
  };
};
