/**
 * What the Import and Link dialogs check as the user types: the service's own rules
 * (main/contract), so the preview names local repos exactly as the import will
 * (docs/registries.md, "Import").
 */
import { localNameOf } from '../../../../main/contract/local-names';
import { validateRemoteRepository } from '../../../../main/contract/names';
import { compileTagFilter } from '../../../../main/contract/tag-filter';

export type LocalNamePreview = { ok: true; name: string } | { ok: false; detail: string };

/** An empty namespace field means none: the path's first segment is then the namespace. */
export function previewLocalName(repository: string, namespace: string): LocalNamePreview {
  const local = localNameOf(repository, namespace || undefined);
  return local.ok ? { ok: true, name: `${local.namespace}/${local.repo_name}` } : { ok: false, detail: local.detail };
}

/** Why the tag filter would be refused, or null (an empty field is no filter). */
export function tagFilterProblem(pattern: string): string | null {
  if (!pattern) return null;
  const compiled = compileTagFilter(pattern);
  return 'problem' in compiled ? compiled.problem : null;
}

export function remoteRepositoryProblem(path: string): string | null {
  if (!path) return 'Name the repository in the registry, e.g. team/app.';
  return validateRemoteRepository(path);
}
