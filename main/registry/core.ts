/**
 * What every part of the registry shares (the store, the clock, change events, lookups), and the
 * one way a write is made: a store transaction whose history entries name who acts, followed by
 * its change event once it is on disk.
 */
import type { Actor, HistoryAction } from '../contract/history';
import { isValidNamespace } from '../contract/names';
import type { ChangeEvent } from '../contract/types';
import type { NamespaceTx, NewHistoryRecord, Store } from '../store';
import type { ChangeEvents } from './events';
import type { Lookup } from './lookup';
import type { OrderingCache } from './ordering';

export interface RegistryCore {
  readonly store: Store;
  readonly events: ChangeEvents;
  readonly orderings: OrderingCache;
  readonly lookup: Lookup;
  /** The clock: ISO 8601 UTC with milliseconds. */
  readonly now: () => string;
}

/** The registry acting for someone: what every write needs. */
export interface Acting {
  readonly core: RegistryCore;
  readonly actor: Actor;
}

/** Deleted repos stay in the trash this long. */
export const TRASH_DAYS = 30;

export function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 24 * 60 * 60 * 1000).toISOString();
}

const REGISTRY_ACTOR = /^registry:(.+)$/;

/** Throws for anything but api, window, import or registry:<a valid registry name>: a bug, not input. */
export function checkActor(actor: Actor): Actor {
  if (actor === 'api' || actor === 'window' || actor === 'import') return actor;
  const name = REGISTRY_ACTOR.exec(actor)?.[1];
  if (name !== undefined && isValidNamespace(name)) return actor;
  throw new Error(`Not an actor: ${JSON.stringify(actor)}`);
}

/** One history entry (the store gives it its id). */
export function entry(
  actor: Actor,
  action: HistoryAction,
  at: string,
  about: { tag?: string; before?: unknown; after?: unknown } = {},
): NewHistoryRecord {
  return { at, actor, action, ...about };
}

/**
 * Runs `fn` in the namespace's transaction (its history entries are part of it, so a crash
 * never keeps one without the other), then announces the change once it is on disk.
 */
export async function write<R>(
  core: RegistryCore,
  namespace: string,
  fn: (tx: NamespaceTx) => R,
  event: ChangeEvent | ((result: R) => ChangeEvent | null),
): Promise<R> {
  const result = await core.store.transact(namespace, fn);
  const happened = typeof event === 'function' ? event(result) : event;
  if (happened) core.events.emit(happened);
  return result;
}
