/**
 * Registry events (docs/registries.md, "Live registry events"): CNCF Distribution's notification
 * envelopes, authenticated by the registry's own events secret. The answer comes at once; the
 * accepted events are applied in order, per registry, right after: a manifest push with a tag
 * creates or moves the linked repo's tag, a GET pull by anyone but Berth counts a download, a
 * delete removes the tags of that digest (or that tag). Each event id applies once.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BerthError, isBerthError } from '../contract/errors';
import type { EventsReceipt } from '../contract/types';
import type { ImageRecord, RegistryService } from '../registry/sync-facing';
import { USER_AGENT, type RegistryConnections } from '../registries/index';
import type { LinkIndex } from './link-index';

/** Event ids remembered to drop redeliveries (a registry redelivers for minutes at most). */
const REMEMBERED_IDS = 50_000;
/** Events accepted but not yet applied, per registry: beyond it a delivery is refused (503) and the registry retries. */
const MAX_QUEUED = 10_000;
const MAX_EVENTS_PER_DELIVERY = 5_000;
const SHA256 = /^sha256:([0-9a-f]{64})$/;
const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export interface EventIntakeOptions {
  registry: RegistryService;
  connections: RegistryConnections;
  index: LinkIndex;
  /** Starts an import of an unlinked repository when the registry has auto_import; false when one is already running. */
  autoImport: (registry: string, repository: string) => Promise<boolean>;
}

/** The parts of a Distribution event Berth reads. */
interface RegistryEvent {
  id: string;
  action: 'push' | 'pull' | 'delete';
  repository: string;
  tag: string | null;
  digest: string | null;
  mediaType: string | null;
  size: number | null;
  method: string | null;
  userAgent: string | null;
}

const digestOfSecret = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function unauthorized(): BerthError {
  return new BerthError('unauthorized', 'Send the registry\'s events secret (from events-config) as "Authorization: Bearer <secret>".');
}

export class EventIntake {
  private readonly seen = new Set<string>();
  /** Each registry's events secret with its digest, hashed once (not per delivery) while the secret stays the same. */
  private readonly secretDigests = new Map<string, { secret: string; digest: Buffer }>();
  private readonly queues = new Map<string, { tail: Promise<void>; size: number }>();
  private closed = false;

  constructor(private readonly options: EventIntakeOptions) {}

  async receive(registry: string, secret: string | undefined, envelope: unknown): Promise<EventsReceipt> {
    await this.authenticate(registry, secret);
    const events = parseEnvelope(envelope);
    let accepted = 0;
    let ignored = 0;
    const queue = this.queueOf(registry);
    if (queue.size + events.length > MAX_QUEUED) {
      throw new BerthError('storage_error', 'Too many registry events are waiting to be applied; the registry will send these again.');
    }
    for (const event of events) {
      if (this.seen.has(`${registry}\u0000${event.id}`) || !this.relevant(event)) {
        ignored++;
        continue;
      }
      this.remember(`${registry}\u0000${event.id}`);
      accepted++;
      queue.size++;
      queue.tail = queue.tail
        .then(() => (this.closed ? undefined : this.apply(registry, event)))
        .catch((err: unknown) => {
          console.error(
            `Berth: registry ${registry}'s ${event.action} event for ${event.repository} was not applied: ${isBerthError(err) ? err.detail : String(err)}`,
          );
        })
        .finally(() => {
          queue.size--;
        });
    }
    return { accepted, ignored };
  }

  /** Waits for the events already accepted. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.queues.values()].map((q) => q.tail));
  }

  private queueOf(registry: string) {
    let queue = this.queues.get(registry);
    if (!queue) {
      queue = { tail: Promise.resolve(), size: 0 };
      this.queues.set(registry, queue);
    }
    return queue;
  }

  private remember(key: string): void {
    if (this.seen.size >= REMEMBERED_IDS) this.seen.delete(this.seen.values().next().value as string);
    this.seen.add(key);
  }

  /** A missing registry and a wrong secret are the same 401: the route does not reveal which registries exist. */
  private async authenticate(registry: string, secret: string | undefined): Promise<void> {
    if (secret === undefined || secret === '') throw unauthorized();
    let expected: string;
    try {
      expected = await this.options.connections.eventsSecret(registry);
    } catch (err) {
      if (isBerthError(err) && err.code === 'not_found') throw unauthorized();
      throw err;
    }
    let known = this.secretDigests.get(registry);
    if (known?.secret !== expected) {
      known = { secret: expected, digest: digestOfSecret(expected) };
      this.secretDigests.set(registry, known);
    }
    if (!timingSafeEqual(digestOfSecret(secret), known.digest)) throw unauthorized();
  }

  /** What can be dropped without looking at the catalogue: blobs, HEAD pulls, Berth's own pulls, tagless pushes. */
  private relevant(event: RegistryEvent): boolean {
    if (event.action === 'delete') return event.tag !== null || event.digest !== null;
    if (event.mediaType === null || !MANIFEST_TYPES.has(event.mediaType)) return false;
    if (event.action === 'push') return event.tag !== null && event.digest !== null && SHA256.test(event.digest);
    // pull
    return event.method === 'GET' && !(event.userAgent ?? '').startsWith(USER_AGENT.split('/')[0] + '/');
  }

  private async apply(registry: string, event: RegistryEvent): Promise<void> {
    const { registry: catalogue, connections, index } = this.options;
    const local = await index.find(registry, event.repository);
    const link = { registry, repository: event.repository };
    if (!local) {
      if (event.action === 'push' && (await connections.get(registry)).auto_import)
        await this.options.autoImport(registry, event.repository);
      return;
    }
    const acting = catalogue.as(`registry:${registry}`);
    const source = `registry:${registry}`;
    if (event.action === 'pull') {
      await acting.recordRemotePull(local.namespace, local.repo_name, link);
      return;
    }
    if (event.action === 'push') {
      const digest = event.digest as string;
      const image = await this.imageOf(registry, event, digest);
      await acting.applyRemoteTags(local.namespace, local.repo_name, {
        link,
        put: [{ tag: event.tag as string, image_id: digest.slice('sha256:'.length), image }],
        remove: [],
        source,
      });
      return;
    }
    // delete: one tag, or every tag on a digest
    let remove: { tag: string; image_id?: string }[];
    if (event.tag !== null) remove = [{ tag: event.tag }];
    else {
      const hex = SHA256.exec(event.digest ?? '')?.[1];
      if (!hex) return;
      const { tags } = await catalogue.linkedState(local.namespace, local.repo_name);
      remove = tags.filter((t) => t.image_id === hex).map((t) => ({ tag: t.tag, image_id: hex }));
    }
    if (remove.length > 0) await acting.applyRemoteTags(local.namespace, local.repo_name, { link, put: [], remove, source });
  }

  /** The image's details from the registry; what the event says when the registry cannot be asked. */
  private async imageOf(registry: string, event: RegistryEvent, digest: string): Promise<ImageRecord> {
    try {
      const details = await this.options.connections.withClient(registry, (client) => client.imageDetails(event.repository, digest));
      return { ...details, platforms: details.platforms.map((p) => ({ os: p.os, architecture: p.architecture, variant: p.variant })) };
    } catch {
      return { digest, media_type: event.mediaType ?? '', size: event.size ?? 0, platforms: [], image_created: null };
    }
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The envelope's events, each reduced to what Berth reads; a body that is no envelope is a 400. */
function parseEnvelope(envelope: unknown): RegistryEvent[] {
  const events = typeof envelope === 'object' && envelope !== null ? (envelope as { events?: unknown }).events : undefined;
  if (!Array.isArray(events)) throw BerthError.validation({ events: ['Expected a notification envelope: {"events": [...]}.'] });
  if (events.length > MAX_EVENTS_PER_DELIVERY) {
    throw BerthError.validation({ events: [`At most ${MAX_EVENTS_PER_DELIVERY} events per delivery.`] });
  }
  const out: RegistryEvent[] = [];
  events.forEach((raw, i) => {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const target = (typeof e.target === 'object' && e.target !== null ? e.target : {}) as Record<string, unknown>;
    const request = (typeof e.request === 'object' && e.request !== null ? e.request : {}) as Record<string, unknown>;
    const id = text(e.id);
    const action = e.action;
    const repository = text(target.repository);
    if (!id || !repository || (action !== 'push' && action !== 'pull' && action !== 'delete')) {
      // Other actions (mount) and events without an id or repository change nothing here.
      if (!id) throw BerthError.validation({ [`events[${i}].id`]: ['Every event needs its id.'] });
      return;
    }
    out.push({
      id,
      action,
      repository,
      tag: text(target.tag),
      digest: text(target.digest),
      mediaType: text(target.mediaType),
      size: typeof target.size === 'number' && Number.isSafeInteger(target.size) && target.size >= 0 ? target.size : null,
      method: text(request.method),
      userAgent: text(request.useragent),
    });
  });
  return out;
}
