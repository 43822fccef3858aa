/**
 * Registry connections in the export document (docs/portability.md): their names, addresses and
 * settings, never a password, token or events secret. The connections themselves belong to
 * main/registries; the composition root hands them over through this port, so the registry (the
 * catalogue's rules) needs nothing from there.
 */
import type { FieldErrors } from '../../contract/errors';
import { compileFieldCheck } from '../../contract/field-errors';
import { ExportedRegistry, type ImportMode } from '../../contract/portability';
import { isIsoTime, TIME_MESSAGE, type Checked } from './items';

export interface RegistriesImport {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Connections a merge kept because one of that name exists and differs. */
  conflicts: { registry: string; detail: string }[];
}

export interface RegistriesPort {
  /** Every connection as the document carries it, by name: settings only, never a secret. */
  exportable(): readonly ExportedRegistry[];
  /** One item's problems by field (the rules of POST /v1/registries); null when it has none. */
  check(item: ExportedRegistry): FieldErrors | null;
  /**
   * merge: adds the connections not there yet, keeps (and reports) those whose name is taken by
   * a different one; replace: the connections become the document's. Passwords are never
   * imported: a connection kept under the same name and address keeps its saved one.
   */
  importAll(items: readonly ExportedRegistry[], options: { mode: ImportMode; dryRun: boolean }): Promise<RegistriesImport>;
}

export const NO_REGISTRIES_CHANGED: RegistriesImport = { created: 0, updated: 0, unchanged: 0, deleted: 0, conflicts: [] };

const checkRegistryShape = compileFieldCheck(ExportedRegistry);

/** Checks one item of the document's `registries`; problems are named under `at`. */
export function importedRegistry(raw: unknown, at: string, port: RegistriesPort | undefined): Checked<ExportedRegistry> {
  const under = (errors: FieldErrors): Checked<ExportedRegistry> => ({
    ok: false,
    errors: Object.fromEntries(
      Object.entries(errors).map(([field, messages]) => [field === 'non_field_errors' ? at : `${at}.${field}`, messages]),
    ),
  });
  const shape = checkRegistryShape(raw);
  if (shape) return under(shape);
  const item = raw as ExportedRegistry;
  const times: FieldErrors = {};
  for (const field of ['created_at', 'updated_at'] as const)
    if (item[field] !== undefined && !isIsoTime(item[field])) times[field] = [TIME_MESSAGE];
  if (Object.keys(times).length > 0) return under(times);
  if (!port) return { ok: false, errors: { [at]: ['Registry connections cannot be imported here.'] } };
  const problems = port.check(item);
  return problems ? under(problems) : { ok: true, value: item };
}
