/**
 * Reading history: a repo's entries newest first, and every repo's (trashed repos' included)
 * merged newest first. Entry ids sort by time, and each repo's history is already in order (its
 * sealed chunks, oldest first, then its tail), so a page of the whole catalogue's history is a
 * merge that reads a chunk file only when a page reaches into it.
 */
import TinyQueue from 'tinyqueue';
import { BerthError } from '../contract/errors';
import type { HistoryEntryView } from '../contract/history';
import type { Page, PageQuery, Viewer } from '../contract/types';
import { historyCount, type HistoryRecord, type RepoRecord, type Store } from '../store';
import type { RegistryCore } from './core';
import { pageWindow } from '../contract/paging';

export function historyView(namespace: string, repo: string, r: HistoryRecord): HistoryEntryView {
  const view: HistoryEntryView = { id: r.id, at: r.at, actor: r.actor, action: r.action, namespace, repo };
  if (r.tag !== undefined) view.tag = r.tag;
  if ('before' in r) view.before = r.before as HistoryEntryView['before'];
  if ('after' in r) view.after = r.after as HistoryEntryView['after'];
  return view;
}

/** Token holders only: 401 for anyone else, whatever anonymous reads allow. */
export function requireToken(viewer: Viewer, what: string): void {
  if (!viewer.authenticated) throw new BerthError('unauthorized', `${what} needs the token.`);
}

/** A repo's entry by id, from its tail or the one chunk whose range holds it; undefined when not there. */
export async function findEntry(store: Store, repo: RepoRecord, id: string): Promise<HistoryRecord | undefined> {
  const inTail = repo.history.find((e) => e.id === id);
  if (inTail || repo.history_chunks.length === 0) return inTail;
  if (repo.history.length > 0 && id >= (repo.history[0] as HistoryRecord).id) return undefined;
  const chunk = repo.history_chunks.findLast((c) => c.first <= id);
  if (!chunk) return undefined;
  return (await store.readHistoryChunk(repo.id, chunk.first)).find((e) => e.id === id);
}

/** Entries `from` to `to` (exclusive) of a repo's history counted oldest first. */
async function slice(store: Store, repo: RepoRecord, from: number, to: number): Promise<HistoryRecord[]> {
  const out: HistoryRecord[] = [];
  let offset = 0;
  for (const chunk of repo.history_chunks) {
    const end = offset + chunk.count;
    if (end > from && offset < to) {
      const entries = await store.readHistoryChunk(repo.id, chunk.first);
      out.push(...entries.slice(Math.max(0, from - offset), to - offset));
    }
    offset = end;
  }
  out.push(...repo.history.slice(Math.max(0, from - offset), Math.max(0, to - offset)));
  return out;
}

export async function listRepoHistory(
  core: RegistryCore,
  viewer: Viewer,
  namespace: string,
  repoName: string,
  query: PageQuery,
): Promise<Page<HistoryEntryView>> {
  const repo = await core.lookup.repo(viewer, namespace, repoName);
  const total = historyCount(repo);
  const w = pageWindow(total, query);
  const entries = await slice(core.store, repo, total - w.end, total - w.start);
  return { ...pageOf(total, w), results: entries.reverse().map((e) => historyView(namespace, repoName, e)) };
}

function pageOf(count: number, w: { page: number; page_size: number; num_pages: number }) {
  return { count, page: w.page, page_size: w.page_size, num_pages: w.num_pages };
}

/** One repo's history read newest first: the tail, then each chunk from the newest. */
class Cursor {
  /** The segment being read, oldest first, and the position of its next entry (counting down). */
  private entries: readonly HistoryRecord[];
  private pos: number;
  private nextChunk: number;

  constructor(
    private readonly store: Store,
    readonly namespace: string,
    readonly repo: RepoRecord,
  ) {
    this.entries = repo.history;
    this.pos = repo.history.length - 1;
    this.nextChunk = repo.history_chunks.length - 1;
  }

  get current(): HistoryRecord | undefined {
    return this.entries[this.pos];
  }

  /** Moves to the next older entry, reading older chunks as needed; false when there is none. */
  async advance(): Promise<boolean> {
    this.pos--;
    while (this.pos < 0 && this.nextChunk >= 0) {
      const chunk = this.repo.history_chunks[this.nextChunk--];
      this.entries = chunk ? await this.store.readHistoryChunk(this.repo.id, chunk.first) : [];
      this.pos = this.entries.length - 1;
    }
    return this.pos >= 0;
  }
}

/** Every repo's entries, live and trashed, newest first (token holders only). */
export async function listHistory(core: RegistryCore, viewer: Viewer, query: PageQuery): Promise<Page<HistoryEntryView>> {
  requireToken(viewer, 'The history of every repository');
  const { store } = core;
  await store.loadAll();
  const sources: { namespace: string; repo: RepoRecord }[] = [];
  for (const ns of store.namespaceNames()) {
    for (const repo of store.loadedNamespace(ns)?.repos.values() ?? []) sources.push({ namespace: ns, repo });
  }
  for (const trashed of store.trash().values()) sources.push({ namespace: trashed.namespace, repo: trashed.repo });
  const total = sources.reduce((n, s) => n + historyCount(s.repo), 0);
  const w = pageWindow(total, query);
  const cursors: Cursor[] = [];
  for (const s of sources) {
    if (historyCount(s.repo) === 0) continue;
    const cursor = new Cursor(store, s.namespace, s.repo);
    // A tail emptied by hand: start in the newest chunk.
    if (cursor.current || (await cursor.advance())) cursors.push(cursor);
  }
  const newestFirst = new TinyQueue(cursors, (a, b) => compareIds((b.current as HistoryRecord).id, (a.current as HistoryRecord).id));
  const results: HistoryEntryView[] = [];
  for (let i = 0; i < w.end; i++) {
    const top = newestFirst.pop();
    if (!top) break;
    if (i >= w.start) results.push(historyView(top.namespace, top.repo.repo_name, top.current as HistoryRecord));
    if (await top.advance()) newestFirst.push(top);
  }
  return { ...pageOf(total, w), results };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
