/**
 * The jobs (imports and syncs): kept in memory, newest first, and in `jobs.json` at each change
 * of state (not at each step of progress), so a job unfinished when Berth stopped reads `failed`
 * with detail `interrupted` after the restart. Progress reaches listeners at most 10 times a
 * second per job; a change of state at once.
 */
import { ulid } from 'ulid';
import { BerthError } from '../contract/errors';
import { pageWindow } from '../contract/paging';
import type { JobChangeEvent } from '../contract/sync';
import type { JobKind, JobView, Page, PageQuery } from '../contract/types';

/** How the jobs are kept on disk (the composition root gives a durable JSON file). */
export interface JobsFile {
  read(): Promise<unknown>;
  write(data: unknown): Promise<void>;
}

/** Finished jobs kept (the active ones always are). */
const KEEP_FINISHED = 200;
/** Item errors kept per job (the rest are counted in the last one). */
const MAX_ERRORS = 1000;
const PROGRESS_EVERY_MS = 100;
const FINAL = new Set<JobView['state']>(['succeeded', 'failed', 'cancelled']);

export interface Job {
  readonly view: JobView;
  /** Set when a cancel was asked; the runner stops at its next step. */
  readonly cancelled: boolean;
}

interface Entry {
  view: JobView;
  cancelled: boolean;
  lastProgressEmit: number;
  pendingEmit: ReturnType<typeof setTimeout> | undefined;
  droppedErrors: number;
}

export class JobBook {
  private readonly jobs = new Map<string, Entry>();
  private readonly listeners = new Set<(event: JobChangeEvent) => void>();
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: JobsFile,
    private readonly now: () => string,
  ) {}

  /** Reads the jobs file; jobs unfinished in it are marked interrupted (and saved so). */
  static async open(file: JobsFile, now: () => string = () => new Date().toISOString()): Promise<JobBook> {
    const book = new JobBook(file, now);
    let raw: unknown = null;
    try {
      raw = await file.read();
    } catch (err) {
      console.error(
        `Berth: the jobs file could not be read (${err instanceof Error ? err.message : String(err)}); starting without old jobs.`,
      );
    }
    const list =
      typeof raw === 'object' && raw !== null && Array.isArray((raw as { jobs?: unknown }).jobs) ? (raw as { jobs: unknown[] }).jobs : [];
    let interrupted = false;
    for (const item of list.slice(0, KEEP_FINISHED + 1000)) {
      const view = jobFromFile(item);
      if (!view) continue;
      if (!FINAL.has(view.state)) {
        view.state = 'failed';
        view.detail = 'interrupted';
        view.finished_at = book.now();
        interrupted = true;
      }
      book.jobs.set(view.id, { view, cancelled: false, lastProgressEmit: 0, pendingEmit: undefined, droppedErrors: 0 });
    }
    if (interrupted) await book.save();
    return book;
  }

  /** A new queued job, on disk before this resolves (so it reads `interrupted` after a crash, never vanishes). */
  async create(kind: JobKind, registry: string, repo: string | null): Promise<JobView> {
    const view: JobView = {
      id: ulid().toLowerCase(),
      kind,
      state: 'queued',
      registry,
      repo,
      progress: { done: 0, total: 0 },
      created_at: this.now(),
      started_at: null,
      finished_at: null,
      detail: null,
      errors: [],
    };
    // Newest first: a Map keeps insertion order, so the list is read backwards.
    this.jobs.set(view.id, { view, cancelled: false, lastProgressEmit: 0, pendingEmit: undefined, droppedErrors: 0 });
    this.trim();
    this.emit('created', view);
    await this.saveSoon();
    return copy(view);
  }

  get(id: string): JobView {
    return copy(this.entry(id).view);
  }

  list(query: PageQuery): Page<JobView> {
    const all = [...this.jobs.values()].reverse();
    const w = pageWindow(all.length, query);
    return {
      count: all.length,
      page: w.page,
      page_size: w.page_size,
      num_pages: w.num_pages,
      results: all.slice(w.start, w.end).map((e) => copy(e.view)),
    };
  }

  /** Active jobs of a kind, to avoid starting the same import twice. */
  active(kind: JobKind): JobView[] {
    return [...this.jobs.values()].filter((e) => e.view.kind === kind && !FINAL.has(e.view.state)).map((e) => e.view);
  }

  isCancelled(id: string): boolean {
    return this.jobs.get(id)?.cancelled ?? true;
  }

  start(id: string): void {
    const e = this.entry(id);
    if (FINAL.has(e.view.state)) return;
    e.view.state = 'running';
    e.view.started_at = this.now();
    this.emit('updated', e.view);
    void this.saveSoon();
  }

  setTotal(id: string, total: number): void {
    const e = this.entry(id);
    e.view.progress = { done: e.view.progress.done, total };
    this.progressed(e);
  }

  step(id: string, by = 1): void {
    const e = this.entry(id);
    e.view.progress = { done: e.view.progress.done + by, total: e.view.progress.total };
    this.progressed(e);
  }

  addError(id: string, item: string, detail: string): void {
    const e = this.entry(id);
    if (e.view.errors.length < MAX_ERRORS) e.view.errors.push({ item, detail });
    else e.droppedErrors++;
    this.progressed(e);
  }

  /** Asks a job to stop; a queued one is cancelled at once. Answers the job as it stands. */
  cancel(id: string): JobView {
    const e = this.entry(id);
    if (FINAL.has(e.view.state)) return copy(e.view);
    e.cancelled = true;
    if (e.view.state === 'queued') this.finish(id, 'cancelled', 'Cancelled before it started.');
    return copy(e.view);
  }

  finish(id: string, state: 'succeeded' | 'failed' | 'cancelled', detail: string | null = null): void {
    const e = this.entry(id);
    if (FINAL.has(e.view.state)) return;
    if (e.droppedErrors > 0) e.view.errors.push({ item: '…', detail: `${e.droppedErrors} more errors not listed.` });
    e.view.state = state;
    e.view.detail = detail;
    e.view.finished_at = this.now();
    if (e.pendingEmit) clearTimeout(e.pendingEmit);
    e.pendingEmit = undefined;
    this.emit('updated', e.view);
    void this.saveSoon();
  }

  onChange(listener: (event: JobChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Waits for the last save; running jobs stay as saved (they read `interrupted` at the next start). */
  async close(): Promise<void> {
    for (const e of this.jobs.values()) if (e.pendingEmit) clearTimeout(e.pendingEmit);
    await this.saving;
  }

  private entry(id: string): Entry {
    const e = typeof id === 'string' ? this.jobs.get(id.toLowerCase()) : undefined;
    if (!e) throw BerthError.notFound(`Job ${String(id)} was not found.`);
    return e;
  }

  private progressed(e: Entry): void {
    if (e.pendingEmit) return;
    const wait = e.lastProgressEmit + PROGRESS_EVERY_MS - Date.now();
    if (wait <= 0) {
      e.lastProgressEmit = Date.now();
      this.emit('updated', e.view);
      return;
    }
    e.pendingEmit = setTimeout(() => {
      e.pendingEmit = undefined;
      e.lastProgressEmit = Date.now();
      this.emit('updated', e.view);
    }, wait);
    e.pendingEmit.unref();
  }

  private trim(): void {
    let finished = [...this.jobs.values()].filter((e) => FINAL.has(e.view.state)).length;
    for (const [id, e] of this.jobs) {
      if (finished <= KEEP_FINISHED) break;
      if (FINAL.has(e.view.state)) {
        this.jobs.delete(id);
        finished--;
      }
    }
  }

  private emit(action: JobChangeEvent['action'], view: JobView): void {
    const event: JobChangeEvent = { entity: 'job', action, job: copy(view) };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        console.error('Berth: a job change listener failed:', err);
      }
    }
  }

  /** Saves one at a time, each the state at its turn; a failed save is reported, the jobs go on. */
  private saveSoon(): Promise<void> {
    this.saving = this.saving.then(() => this.save());
    return this.saving;
  }

  private async save(): Promise<void> {
    try {
      await this.file.write({ schema_version: 1, jobs: [...this.jobs.values()].map((e) => e.view) });
    } catch (err) {
      console.error(`Berth: the jobs file could not be written: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function copy(view: JobView): JobView {
  return { ...view, progress: { ...view.progress }, errors: view.errors.map((e) => ({ ...e })) };
}

const STATES = new Set(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const count = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);

/** A job as saved, copied field by field (nothing from the file becomes anything but plain data); null when unusable. */
function jobFromFile(raw: unknown): JobView | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  const id = text(o.id);
  const kind = o.kind === 'import' || o.kind === 'sync' ? o.kind : null;
  const state = typeof o.state === 'string' && STATES.has(o.state) ? (o.state as JobView['state']) : null;
  const registry = text(o.registry);
  const created = text(o.created_at);
  if (!id || !kind || !state || !registry || !created) return null;
  const progress = (typeof o.progress === 'object' && o.progress !== null ? o.progress : {}) as Record<string, unknown>;
  const errors = Array.isArray(o.errors) ? o.errors : [];
  return {
    id,
    kind,
    state,
    registry,
    repo: text(o.repo),
    progress: { done: count(progress.done), total: count(progress.total) },
    created_at: created,
    started_at: text(o.started_at),
    finished_at: text(o.finished_at),
    detail: text(o.detail),
    errors: errors
      .slice(0, MAX_ERRORS)
      .map((e) => (typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {}))
      .map((e) => ({ item: text(e.item) ?? '', detail: text(e.detail) ?? '' })),
  };
}
