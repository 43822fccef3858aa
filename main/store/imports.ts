/**
 * What an import does to the store's files under its feet (docs/architecture.md, "Imports"): a
 * replace swaps a staged catalogue in whole (./swap), a merge moves staged namespaces in whole.
 * Both run with writes and loads held and every journalled change in its file, so nothing the
 * journal or a pending checkpoint holds can land on the new files afterwards.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError } from '../contract/errors';
import { fsyncDir, type DurableContext } from '../files/durable-file';
import { errnoOf } from '../files/file-ops';
import type { Catalogue } from './catalogue';
import type { Checkpointer } from './checkpointer';
import type { GroupCommit } from './group-commit';
import type { Journal } from './journal';
import { TMP_DIR, type Layout } from './layout';
import { closedError, type Loader } from './loader';
import type { Materializer } from './materializer';
import type { ProblemLog } from './quarantine';
import type { NamespaceRecord } from './records';
import type { ImportStaging } from './staging';
import { storageError } from './storage-error';
import { swapCatalogue, type SwapHooks } from './swap';

/** The store's parts (see ./store). */
export interface Parts {
  ctx: DurableContext;
  journal: Journal;
  swapHooks: SwapHooks;
  catalogue: Catalogue;
  loader: Loader;
  writes: GroupCommit;
  checkpointer: Checkpointer;
  materializer: Materializer;
  log: ProblemLog;
}

export class CatalogueImports {
  constructor(
    private readonly parts: Parts,
    private readonly layout: Layout,
    private readonly lifecycle: { closed: boolean },
  ) {}

  /**
   * Makes the staged catalogue (made durable here) the whole catalogue at once, namespaces given
   * being those it holds: all or nothing, even across a crash. Writes wait meanwhile. `stagedAt`
   * is the catalogue's generation the staging was decided against: a change committed since
   * would be undone by the swap without a trace (a repo created meanwhile never reaches the
   * trash, a tag pushed meanwhile is gone), so the replace is refused instead and nothing changes.
   */
  async replace(staging: ImportStaging, namespaces: readonly NamespaceRecord[], stagedAt: number): Promise<void> {
    await staging.sync();
    await this.exclusive(async () => {
      if (this.parts.catalogue.generation !== stagedAt) {
        throw new BerthError(
          'conflict',
          'The catalogue changed while the import was being read, and replacing it would undo those changes: nothing was imported. Import again.',
        );
      }
      try {
        await swapCatalogue(this.parts.ctx, this.layout, staging, this.parts.swapHooks);
      } catch (err) {
        // Decided or not, only the next open can tell and finish it: nothing more is written here.
        this.lifecycle.closed = true;
        throw new BerthError(
          'storage_error',
          `The catalogue could not be replaced (${(err as Error).message}); restart Berth: it finishes the replacement or keeps the old catalogue.`,
        );
      }
      this.parts.catalogue.replaceAll(namespaces);
      for (const record of staging.trashed) this.parts.catalogue.trash.set(record.repo.id, record);
    });
  }

  /** The old catalogue a replace moved aside, and what is left of the staging folder. */
  async removeReplaced(staging: ImportStaging): Promise<void> {
    await rm(join(this.layout.dataDir, TMP_DIR, `replaced-${staging.id}`), { recursive: true, force: true });
    await staging.discard();
  }

  /**
   * Moves staged namespaces that exist neither in memory nor on disk into the catalogue whole
   * (one rename each, made durable here); answers the names moved in. The others are left in
   * the staging folder for ordinary writes.
   */
  async adopt(staging: ImportStaging, namespaces: readonly NamespaceRecord[]): Promise<string[]> {
    const { catalogue, ctx } = this.parts;
    if (namespaces.length === 0) return [];
    await staging.sync();
    return this.exclusive(async () => {
      const adopted: string[] = [];
      for (const record of namespaces) {
        const ns = record.namespace;
        if (catalogue.entry(ns) || !staging.hasNamespaceFile(ns)) continue;
        try {
          await ctx.ops.rename(staging.namespaceDir(ns), this.layout.namespaceDir(ns));
        } catch (err) {
          // A folder left where the namespace would go: its repos take the ordinary way.
          if (errnoOf(err) === 'ENOTEMPTY' || errnoOf(err) === 'EEXIST') continue;
          throw storageError(err, `move namespace ${ns} into the catalogue`);
        }
        catalogue.add(record);
        adopted.push(ns);
      }
      await fsyncDir(ctx.ops, this.layout.namespaces);
      await fsyncDir(ctx.ops, staging.namespacesDir);
      return adopted;
    });
  }

  /** Runs fn with writes and loads held and the journal empty (every change in its file). */
  private async exclusive<R>(fn: () => Promise<R>): Promise<R> {
    if (this.lifecycle.closed) throw closedError();
    const { writes, loader, checkpointer, journal, materializer } = this.parts;
    await writes.pause();
    try {
      await loader.pause();
      try {
        await checkpointer.checkpoint();
        if (!journal.empty || materializer.hasUnsynced) {
          throw new BerthError(
            'storage_error',
            `Could not import: earlier changes could not be written to their files yet (${checkpointer.failureCause ?? 'unknown cause'}).`,
          );
        }
        return await fn();
      } finally {
        loader.resume();
      }
    } finally {
      writes.resume();
    }
  }
}
