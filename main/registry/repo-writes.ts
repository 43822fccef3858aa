/**
 * Writes to a repo as a whole: create, edit, star, pull, delete (to the trash). Each records a
 * history entry in the same transaction, except a pull (pulls are counted, not recorded).
 */
import { BerthError } from '../contract/errors';
import type { CreateRepoInput, RepoView, StarView, UpdateRepoInput, UpdateRepoOptions } from '../contract/types';
import type { RepoRecord } from '../store';
import { withBuildConfig } from './build-config';
import { entry, plusDays, TRASH_DAYS, write, type Acting } from './core';
import { newRepoRecord } from './defaults';
import { checkCreateInput, checkUpdatePatch } from './inputs';
import { notFound, requireNames, requireRepo } from './lookup';
import { TOKEN_HOLDER } from './service';
import { repoView } from './views';

export async function createRepo({ core, actor }: Acting, namespace: string, input: CreateRepoInput): Promise<RepoView> {
  checkCreateInput(namespace, input);
  const repoName = input.repo_name;
  const record = await write(
    core,
    namespace,
    (tx) => {
      if (tx.getRepo(repoName)) throw BerthError.conflict(`Repository ${namespace}/${repoName} already exists.`);
      const now = core.now();
      if (!tx.getNamespace()) tx.putNamespace({ namespace, created_at: now });
      const fields = {
        description: input.description ?? '',
        full_description: input.full_description ?? '',
        is_public: input.is_public ?? true,
      };
      const plain = newRepoRecord(repoName, fields, now);
      const repo = input.build_config ? withBuildConfig(plain, input.build_config) : plain;
      const after = repo.build_config ? { ...fields, build_config: repo.build_config } : fields;
      return tx.putRepo(repo, [entry(actor, 'repo.create', now, { after })]);
    },
    { entity: 'repo', action: 'created', namespace, repo_name: repoName },
  );
  return repoView(namespace, record);
}

type Editable = 'description' | 'full_description' | 'is_public' | 'build_config';

/** The edited fields' old and new values; empty when the patch changes nothing. */
function changedFields(repo: RepoRecord, patch: UpdateRepoInput): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const consider = (field: Editable, old: unknown, next: unknown) => {
    if (next === undefined || JSON.stringify(next) === JSON.stringify(old)) return;
    before[field] = old;
    after[field] = next;
  };
  consider('description', repo.description, patch.description);
  consider('full_description', repo.full_description, patch.full_description);
  consider('is_public', repo.is_public, patch.is_public);
  consider('build_config', repo.build_config ?? null, patch.build_config);
  return { before, after };
}

export async function updateRepo(
  { core, actor }: Acting,
  namespace: string,
  repoName: string,
  patch: UpdateRepoInput,
  options: UpdateRepoOptions = {},
): Promise<RepoView> {
  requireNames(namespace, repoName);
  checkUpdatePatch(patch);
  const outcome = await write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      // Checked in the same transaction as the write: nothing can land between the check and it.
      const expected = options.if_updated_at;
      if (expected !== undefined && repo.updated_at !== expected) {
        throw new BerthError(
          'conflict',
          `${namespace}/${repoName} was changed at ${repo.updated_at}, after the version you edited (${expected}); nothing was saved.`,
        );
      }
      const { before, after } = changedFields(repo, patch);
      // Values equal to the stored ones are no edit: updated_at stays, nothing is recorded or announced.
      if (Object.keys(after).length === 0) return { repo, changed: false };
      const now = core.now();
      const edited: RepoRecord = {
        ...repo,
        description: patch.description ?? repo.description,
        full_description: patch.full_description ?? repo.full_description,
        is_public: patch.is_public ?? repo.is_public,
        updated_at: now,
      };
      const next = 'build_config' in after ? withBuildConfig(edited, patch.build_config ?? null) : edited;
      return { repo: tx.putRepo(next, [entry(actor, 'repo.update', now, { before, after })]), changed: true };
    },
    (result) => (result.changed ? { entity: 'repo', action: 'updated', namespace, repo_name: repoName } : null),
  );
  return repoView(namespace, outcome.repo);
}

/** The repo goes to the trash with its whole record (README, "History, undo and the trash"). */
export async function deleteRepo({ core, actor }: Acting, namespace: string, repoName: string): Promise<void> {
  requireNames(namespace, repoName);
  await write(
    core,
    namespace,
    (tx) => {
      requireRepo(tx, namespace, repoName);
      const now = core.now();
      tx.trashRepo(repoName, { deleted_at: now, expires_at: plusDays(now, TRASH_DAYS) }, [entry(actor, 'repo.delete', now)]);
    },
    { entity: 'repo', action: 'deleted', namespace, repo_name: repoName },
  );
}

/** Pulls change only their counter and time, and are not recorded in the history. */
export async function recordPull({ core }: Acting, namespace: string, repoName: string, tag: string): Promise<RepoView> {
  requireNames(namespace, repoName);
  const record = await write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      if (!repo.tags.some((t) => t.tag === tag)) throw notFound.tag(namespace, repoName, String(tag));
      return tx.putRepo({ ...repo, download: repo.download + 1, pulled_at: core.now() });
    },
    { entity: 'repo', action: 'updated', namespace, repo_name: repoName },
  );
  return repoView(namespace, record);
}

export async function setStar({ core, actor }: Acting, namespace: string, repoName: string, starred: boolean): Promise<StarView> {
  requireNames(namespace, repoName);
  if (typeof starred !== 'boolean') throw BerthError.validation({ starred: ['Must be true or false.'] });
  const current = (await core.lookup.namespace(namespace, TOKEN_HOLDER)).repos.get(repoName);
  if (current && current.starred === starred) return { repo_starred_count: starred ? 1 : 0, is_repo_starred: starred };
  const record = await write(
    core,
    namespace,
    (tx) => {
      const repo = requireRepo(tx, namespace, repoName);
      if (repo.starred === starred) return repo;
      const history = [
        entry(actor, starred ? 'repo.star' : 'repo.unstar', core.now(), {
          before: { is_repo_starred: !starred },
          after: { is_repo_starred: starred },
        }),
      ];
      return tx.putRepo({ ...repo, starred }, history);
    },
    { entity: 'repo', action: 'updated', namespace, repo_name: repoName },
  );
  return { repo_starred_count: record.starred ? 1 : 0, is_repo_starred: record.starred };
}
