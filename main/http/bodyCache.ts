/**
 * Serialized answers of hot reads (list pages, details), so a repeated GET skips building view
 * objects and JSON.stringify (list throughput, docs/benchmarks.md). Entries belong to a namespace
 * and die with its next change event; a per-namespace generation, read before the registry is
 * asked, keeps a read that raced a write from storing what it saw before the write.
 *
 * A client chooses the keys, so they are built from validated parameters only (an unknown query
 * parameter never makes an entry), and the cache is bounded in bytes, keys and bookkeeping
 * included, not only in bodies.
 */
import type { RegistryService } from '../registry/service';

/** What a list page needs besides its serialized results: its links are built per request. */
export interface PageInfo {
  count: number;
  page: number;
  num_pages: number;
}

export interface CachedAnswer {
  /** Encoded once: sending a Buffer spares the UTF-8 encoding of every answer. */
  body: Buffer;
  page?: PageInfo;
}

interface Entry extends CachedAnswer {
  ns: string;
  /** What this entry counts against maxBytes. */
  bytes: number;
}

/** Map slots, the entry object and the per-namespace key set, roughly, per entry. */
const ENTRY_OVERHEAD = 160;

/** Bytes an entry holds: its body, its key twice (the map and the namespace's key set), the rest. */
export function entryBytes(key: string, body: Buffer): number {
  return body.length + 2 * 2 * key.length + ENTRY_OVERHEAD;
}

export interface BodyCacheOptions {
  maxEntries?: number;
  maxBytes?: number;
}

export class BodyCache {
  /** Map order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private readonly keysByNs = new Map<string, Set<string>>();
  private readonly generations = new Map<string, number>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  // Sized to hold every list page and most details of a 100,000-repo catalogue (the benchmark's
  // scale): a smaller cache thrashes under reads spread over the whole catalogue. It fills only as
  // pages are asked for, and stays well inside the 1 GB memory target.
  constructor(options: BodyCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 150_000;
    this.maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
  }

  /** Read before computing an answer; pass it back to set. */
  generation(ns: string): number {
    return this.generations.get(ns) ?? 0;
  }

  get(key: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores unless the namespace changed since `generation` was read (the body may be stale). */
  set(ns: string, key: string, generation: number, body: Buffer, page?: PageInfo): void {
    const bytes = entryBytes(key, body);
    if (generation !== this.generation(ns) || bytes > this.maxBytes) return;
    this.remove(key);
    this.entries.set(key, page ? { ns, body, page, bytes } : { ns, body, bytes });
    let keys = this.keysByNs.get(ns);
    if (!keys) {
      keys = new Set();
      this.keysByNs.set(ns, keys);
    }
    keys.add(key);
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
    }
  }

  invalidate(ns: string): void {
    this.generations.set(ns, this.generation(ns) + 1);
    const keys = this.keysByNs.get(ns);
    if (!keys) return;
    for (const key of [...keys]) this.remove(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries hold, keys included. */
  get heldBytes(): number {
    return this.bytes;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    const keys = this.keysByNs.get(entry.ns);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByNs.delete(entry.ns);
  }
}

/**
 * A cache emptied, per namespace, by every change the registry reports. The registry emits the
 * event synchronously right after the store's write resolves, before the write is answered.
 */
export function registryBodyCache(registry: RegistryService, options?: BodyCacheOptions): { cache: BodyCache; stop: () => void } {
  const cache = new BodyCache(options);
  const stop = registry.onChange((event) => cache.invalidate(event.namespace));
  return { cache, stop };
}
