/**
 * Argument validation for IPC calls with the very schemas the HTTP routes declare, so a bad
 * argument from the window is reported like a bad request body: `validation_error` with the
 * offending field named.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { BerthError, type FieldErrors } from '../contract/errors';

export interface ArgSpec {
  /** The field an error is reported under (for objects: the default when no property is named). */
  field: string;
  check: TypeCheck<TSchema>;
  /** Used when the caller leaves an optional trailing argument out. */
  whenMissing?: () => unknown;
}

export const arg = (field: string, schema: TSchema, whenMissing?: () => unknown): ArgSpec => ({
  field,
  check: TypeCompiler.Compile(schema),
  ...(whenMissing ? { whenMissing } : {}),
});

/** Checks every argument; throws one validation_error naming every bad field, or answers the arguments to use. */
export function validateArgs(specs: readonly ArgSpec[], args: readonly unknown[]): unknown[] {
  // A Map, not an object: a field named `__proto__` must land as data, not reach a prototype.
  const errors = new Map<string, string[]>();
  const add = (field: string, message: string) => {
    const list = errors.get(field);
    if (list) list.push(message);
    else errors.set(field, [message]);
  };
  if (args.length > specs.length) {
    add('arguments', `Expected at most ${specs.length} argument${specs.length === 1 ? '' : 's'}, got ${args.length}.`);
  }
  const values = specs.map((spec, index) => {
    const given = args[index];
    const value = given === undefined && spec.whenMissing ? spec.whenMissing() : given;
    if (!spec.check.Check(value)) {
      for (const error of spec.check.Errors(value)) {
        const property = error.path.split('/')[1];
        add(property || spec.field, error.message);
      }
    }
    return value;
  });
  if (errors.size > 0) throw BerthError.validation(Object.fromEntries(errors) as FieldErrors);
  return values;
}
