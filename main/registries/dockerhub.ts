/**
 * Docker Hub's repository listing, which stands in for the catalog Hub does not offer:
 * `GET <hub api>/v2/repositories/<namespace>/?page_size=100&page=N`, pages followed through
 * `next`. Hub pages by number in its own order, so the whole namespace is read and Berth pages
 * it in byte order, like any list whose registry does not page. Anonymous: public repositories.
 */
import { BerthError } from '../contract/errors';
import { failure, jsonObject } from './answers';
import type { RegistryEndpoint } from './endpoint';
import { registryFailure } from './errors';
import type { HttpTransport } from './http';

const PAGE_SIZE = 100;
/** Hub's largest namespaces hold a few thousand repositories; this bounds a runaway `next` chain. */
const MAX_PAGES = 200;
const PAGE_MAX_BYTES = 4 * 1024 * 1024;
const NAMESPACE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export async function hubRepositories(http: HttpTransport, endpoint: RegistryEndpoint, namespace: string): Promise<string[]> {
  if (!NAMESPACE.test(namespace) || namespace.length > 255) {
    throw BerthError.validation({ namespace: ['must be a Docker Hub namespace (lower-case letters and digits), such as library.'] });
  }
  const api = endpoint.hubApi as URL;
  let url: URL | null = new URL(`/v2/repositories/${namespace}/?page_size=${PAGE_SIZE}&page=1`, api);
  const names: string[] = [];
  const what = `the repositories of ${namespace}`;
  for (let pages = 0; url; pages++) {
    if (pages >= MAX_PAGES)
      throw registryFailure(
        'registry_error',
        `Docker Hub listed more than ${MAX_PAGES * PAGE_SIZE} repositories for ${namespace}; Berth stops there.`,
      );
    const answer = await http.send({ method: 'GET', url, headers: { accept: 'application/json' }, maxBytes: PAGE_MAX_BYTES, what });
    if (answer.status !== 200) throw failure(answer, endpoint.label, what);
    const body = jsonObject(answer, endpoint.label, what);
    if (!Array.isArray(body.results)) throw registryFailure('registry_error', `Docker Hub sent ${what} without a results list.`);
    for (const item of body.results as unknown[]) {
      const name = (item as { name?: unknown } | null)?.name;
      if (typeof name === 'string') names.push(`${namespace}/${name}`);
    }
    url = typeof body.next === 'string' && body.next ? sameOrigin(new URL(body.next, url), api) : null;
  }
  return names;
}

/** Hub's `next` must stay on Hub's API host. */
function sameOrigin(url: URL, api: URL): URL {
  if (url.origin !== api.origin) throw registryFailure('registry_error', `Docker Hub pointed its next page at another host (${url.host}).`);
  return url;
}
