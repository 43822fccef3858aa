/**
 * The benchmark's catalogue (docs/benchmarks.md), written through the store's own bulk writer (its
 * layout, its serialization, its atomic file writes), so what `serve` loads is exactly what it
 * would have written itself. Records start from the store's own defaults, with the history the
 * API would have recorded making them: the repo's creation and each tag's push.
 */
import { ulid } from 'ulid';
import type { HistoryRecord } from '../main/store';
import { newRepoRecord, writeCatalogue, type CatalogueNamespace, type RepoRecord, type TagRecord } from '../test/support/catalogue';
import { Random } from './random';

export interface DatasetShape {
  namespaces: number;
  repos: number;
  tags: number;
}

export const namespaceName = (i: number): string => `ns-${String(i).padStart(3, '0')}`;
export const repoName = (i: number): string => `repo-${String(i).padStart(5, '0')}`;

const BASE_TIME = Date.parse('2024-01-01T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function repoRecord(random: Random, index: number, shape: DatasetShape): RepoRecord {
  const created = BASE_TIME + random.int(300 * 86_400_000);
  const tags: TagRecord[] = [];
  let pushed = created;
  for (let t = 0; t < shape.tags; t++) {
    pushed += 60_000 + random.int(86_400_000);
    tags.push({
      tag: t === shape.tags - 1 ? 'latest' : `v1.${t}.0`,
      image_id: random.hex(64),
      created_at: iso(pushed),
      updated_at: iso(pushed),
      source: 'api',
    });
  }
  const history: HistoryRecord[] = [
    { id: ulid(created).toLowerCase(), at: iso(created), actor: 'api', action: 'repo.create', after: { description: '', is_public: true } },
    ...tags.map((t) => ({
      id: ulid(Date.parse(t.created_at)).toLowerCase(),
      at: t.created_at,
      actor: 'api',
      action: 'tag.create',
      tag: t.tag,
      before: null,
      after: t.image_id,
    })),
  ];
  // The seed's order: most recently pushed first.
  tags.reverse();
  const pulls = random.int(5000);
  return newRepoRecord(repoName(index), {
    description: `Image ${index} for the benchmark catalogue`,
    full_description: `# ${repoName(index)}\n\nA generated repository with ${shape.tags} tags.\n`,
    is_public: random.next() < 0.9,
    created_at: iso(created),
    updated_at: iso(pushed),
    download: pulls,
    upload: shape.tags,
    pulled_at: pulls > 0 ? iso(pushed + 3_600_000) : null,
    pushed_at: shape.tags > 0 ? iso(pushed) : null,
    starred: random.next() < 0.1,
    tags,
    history,
  });
}

/** Writes the catalogue into `dataDir` (which must not be in use by a server). */
export async function generateDataset(dataDir: string, shape: DatasetShape, onProgress?: (done: number) => void): Promise<void> {
  function* namespaces(): Generator<CatalogueNamespace> {
    for (let n = 0; n < shape.namespaces; n++) {
      const random = new Random(1000 + n);
      const repos: RepoRecord[] = Array.from({ length: shape.repos }, (_, r) => repoRecord(random, r, shape));
      if (n > 0) onProgress?.(n);
      yield { namespace: namespaceName(n), created_at: iso(BASE_TIME + n * 1000), repos };
    }
  }
  await writeCatalogue(dataDir, namespaces());
  onProgress?.(shape.namespaces);
}
