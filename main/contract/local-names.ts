/**
 * Where an imported repository goes locally (docs/registries.md, "Import"): with a namespace,
 * the repo is the remote path with `/` replaced by `-`; without one, the path's first segment is
 * the namespace and the rest, joined by `-`, the repo.
 */
import { validateNamespace, validateRepoName } from './names';

export type LocalName = { ok: true; namespace: string; repo_name: string } | { ok: false; detail: string };

export function localNameOf(repository: string, namespace?: string): LocalName {
  let ns: string;
  let repo: string;
  if (namespace !== undefined) {
    ns = namespace;
    repo = repository.split('/').join('-');
  } else {
    const segments = repository.split('/');
    if (segments.length < 2) {
      return { ok: false, detail: `${repository} has one path segment: give a namespace to import it into.` };
    }
    ns = segments[0] as string;
    repo = segments.slice(1).join('-');
  }
  const nsProblem = validateNamespace(ns);
  if (nsProblem) return { ok: false, detail: `Local namespace "${ns}" for ${repository}: ${nsProblem}` };
  const repoProblem = validateRepoName(repo);
  if (repoProblem) return { ok: false, detail: `Local repo name "${repo}" for ${repository}: ${repoProblem}` };
  return { ok: true, namespace: ns, repo_name: repo };
}
