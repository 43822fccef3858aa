/**
 * Argument validation for IPC calls with the very schemas the HTTP routes declare (the table in
 * main/contract/operations.ts), reported through the contract's one formatter, so a bad argument
 * from the window gets the same `validation_error` and the same `errors` as a bad request body.
 */
import { BerthError, type FieldErrors } from '../contract/errors';
import { compileFieldCheck, type FieldCheck } from '../contract/field-errors';
import type { ArgSpec } from '../contract/operations';
import * as schemas from '../contract/schemas';

/** An operation's argument list, compiled once. */
export type ArgsCheck = (args: readonly unknown[]) => unknown[];

interface CompiledArg {
  field: string;
  check: FieldCheck;
  whenMissing?: () => unknown;
}

/** Checks every argument; throws one validation_error naming every bad field, or answers the arguments to use. */
export function compileArgs(specs: readonly ArgSpec[]): ArgsCheck {
  const compiled: CompiledArg[] = specs.map((spec) => ({
    field: spec.field,
    check: compileFieldCheck(schemas[spec.schema]),
    whenMissing: spec.whenMissing,
  }));
  return (args) => {
    // A Map, not an object: a field named `__proto__` must land as data, not reach a prototype.
    const errors = new Map<string, string[]>();
    const add = (field: string, messages: readonly string[]) => errors.set(field, [...(errors.get(field) ?? []), ...messages]);
    if (args.length > compiled.length) {
      add('arguments', [`Expected at most ${compiled.length} argument${compiled.length === 1 ? '' : 's'}, got ${args.length}.`]);
    }
    const values = compiled.map((spec, index) => {
      const given = args[index];
      const value = given === undefined && spec.whenMissing ? spec.whenMissing() : given;
      // Errors about the argument as a whole are reported under the argument's name.
      const bad = spec.check(value, spec.field);
      if (bad) for (const [field, messages] of Object.entries(bad)) add(field, messages);
      return value;
    });
    if (errors.size > 0) throw BerthError.validation(Object.fromEntries(errors) as FieldErrors);
    return values;
  };
}
