/**
 * The yardstick: a bare undici client sending the registry requests an import sends, at the same
 * concurrency (docs/registries.md: 8 requests in flight per registry; 16 repositories at once, 8
 * tags at once within one), with nothing else: no store, no checks beyond reading what the next
 * request needs.
 *
 * Per import: the catalog (every page, following `Link`); per repository the tag list (every
 * page); per tag (none is held yet: a first import) a GET of its manifest by tag, then the image's
 * config blob.
 */
import pLimit from 'p-limit';
import { Pool } from 'undici';

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export interface Concurrency {
  /** Requests in flight to the registry. */
  requests: number;
  repos: number;
  tagsPerRepo: number;
}

export interface BareRun {
  ms: number;
  repositories: number;
  tags: number;
  requests: number;
}

const MAX_PAGES = 10_000;

function nextLink(link: string | string[] | undefined, base: string): string | null {
  const value = Array.isArray(link) ? link.join(', ') : link;
  const match = value ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(value) : null;
  return match?.[1] ? new URL(match[1], base).pathname + new URL(match[1], base).search : null;
}

export async function bareImport(url: string, concurrency: Concurrency, deadline: number): Promise<BareRun> {
  const pool = new Pool(url, { connections: concurrency.requests });
  const inFlight = pLimit(concurrency.requests);
  let requests = 0;
  let tags = 0;
  let failed = false;

  const send = (method: 'GET', path: string, accept?: string) =>
    inFlight(async () => {
      if (failed) throw new Error('stopped after an earlier failure');
      if (performance.now() > deadline) throw new Error(`the bare client ran out of time at ${method} ${path}`);
      requests++;
      const res = await pool.request({ method, path, headers: accept ? { accept } : {} });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${method} ${path} answered ${res.statusCode}: ${body.slice(0, 200)}`);
      return { headers: res.headers, body };
    });

  const started = performance.now();
  try {
    const repositories: string[] = [];
    let page: string | null = '/v2/_catalog';
    for (let pages = 0; page && pages < MAX_PAGES; pages++) {
      const answer = await send('GET', page, 'application/json');
      repositories.push(...(JSON.parse(answer.body) as { repositories: string[] }).repositories);
      page = nextLink(answer.headers.link, url);
    }

    const repoLimit = pLimit(concurrency.repos);
    await Promise.all(
      repositories.map((repository) =>
        repoLimit(async () => {
          if (failed) return;
          try {
            const names: string[] = [];
            let list: string | null = `/v2/${repository}/tags/list`;
            for (let pages = 0; list && pages < MAX_PAGES; pages++) {
              const answer = await send('GET', list, 'application/json');
              names.push(...((JSON.parse(answer.body) as { tags: string[] | null }).tags ?? []));
              list = nextLink(answer.headers.link, url);
            }
            const tagLimit = pLimit(concurrency.tagsPerRepo);
            await Promise.all(
              names.map((tag) =>
                tagLimit(async () => {
                  const manifest = await send('GET', `/v2/${repository}/manifests/${tag}`, MANIFEST_ACCEPT);
                  const config = (JSON.parse(manifest.body) as { config?: { digest?: string } }).config?.digest;
                  if (config) await send('GET', `/v2/${repository}/blobs/${config}`);
                  tags++;
                }),
              ),
            );
          } catch (err) {
            failed = true;
            throw err;
          }
        }),
      ),
    );
    return { ms: performance.now() - started, repositories: repositories.length, tags, requests };
  } finally {
    await pool.close();
  }
}
