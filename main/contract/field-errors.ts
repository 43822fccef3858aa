/**
 * The one translation of a schema mismatch into field errors, used by the HTTP routes and the
 * IPC handlers alike, so both doors answer the same `errors` for the same bad input. Each field
 * gets DRF-style sentences (the shape Docker Hub's clients already read): `{field: [messages]}`.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { FieldErrors } from './errors';

/** Where errors about the value as a whole go over HTTP (DRF's name for them). */
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

function fieldOf(error: ValueError, wholeField: string): string {
  // Paths are JSON pointers ("/repo_name"); the first segment is the field the client sent.
  const first = error.path.split('/')[1];
  return first ? first.replace(/~1/g, '/').replace(/~0/g, '~') : wholeField;
}

function toFieldErrors(errors: Iterable<ValueError>, wholeField: string): FieldErrors {
  // A Map, not an object: a field named `__proto__` must land as data, not reach a prototype.
  const out = new Map<string, string[]>();
  for (const error of errors) {
    // A bad union member reports every alternative; one message per field is enough.
    const field = fieldOf(error, wholeField);
    const message = messageOf(error);
    let list = out.get(field);
    if (!list) out.set(field, (list = []));
    // A missing field is only "required"; the type complaint about its absence is noise.
    if (list[0] === REQUIRED) continue;
    if (message === REQUIRED) list.length = 0;
    if (!list.includes(message)) list.push(message);
  }
  return Object.fromEntries(out) as FieldErrors;
}

function isObjectSchema(schema: TSchema): boolean {
  return schema[Kind] === 'Object' && typeof schema.properties === 'object';
}

/** Checks a value against a schema: null when it fits, else its field errors. */
export type FieldCheck = (value: unknown, wholeField?: string) => FieldErrors | null;

/**
 * Compiles a schema once. Errors name the offending field; errors about the value as a whole
 * (a list where an object belongs, say) go under `wholeField` (default `non_field_errors`).
 */
export function compileFieldCheck(schema: TSchema): FieldCheck {
  const check = TypeCompiler.Compile(schema);
  const wantsObject = isObjectSchema(schema);
  return (value, wholeField = NON_FIELD) => {
    if (wantsObject && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      const got = Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value;
      return { [wholeField]: [`Invalid data. Expected a JSON object, but got ${got}.`] };
    }
    if (check.Check(value)) return null;
    return toFieldErrors(check.Errors(value), wholeField);
  };
}
