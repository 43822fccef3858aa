/**
 * The import's naming rule, for the preview in the Import dialog (the service applies the same
 * rule, docs/registries.md "Import"): with a namespace, the repo is the remote path with `/`
 * replaced by `-`; without one, the first segment is the namespace and the rest, joined by `-`,
 * the repo.
 */
import { validateNamespace, validateRepoName } from '../../../../main/contract/names';

export type LocalNamePreview = { ok: true; name: string } | { ok: false; detail: string };

export function previewLocalName(repository: string, namespace: string): LocalNamePreview {
  const segments = repository.split('/');
  if (!namespace && segments.length < 2) return { ok: false, detail: 'one path segment: give a target namespace' };
  const ns = namespace || (segments[0] as string);
  const repo = (namespace ? segments : segments.slice(1)).join('-');
  const problem = validateNamespace(ns) ?? validateRepoName(repo);
  return problem ? { ok: false, detail: problem } : { ok: true, name: `${ns}/${repo}` };
}

/** The tag filter as the service reads it (a regular expression whole tag names must match), or a sentence saying why not. */
export function tagFilterProblem(pattern: string): string | null {
  if (!pattern) return null;
  try {
    new RegExp(`^(?:${pattern})$`);
    return null;
  } catch (error) {
    return `Not a regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Distribution's repository name grammar: lowercase path components joined by `/`. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function remoteRepositoryProblem(path: string): string | null {
  if (!path) return 'Name the repository in the registry, e.g. team/app.';
  return REPOSITORY.test(path) ? null : 'Repository paths are lowercase letters, digits and . _ - separators, with / between parts.';
}
