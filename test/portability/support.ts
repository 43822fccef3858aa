/** Helpers for the export/import tests: catalogues to fill, documents to read and feed. */
import type { Registry } from '../../main/registry';
import type { Random } from '../../bench/random';

export const HEX = (random: Random) => random.hex(64);

/** The whole text of an export. */
export async function collect(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

/** A document fed in pieces of random sizes (so items, strings and characters span pieces). */
export async function* piecesOf(text: string, random: Random, largest = 4096): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + random.int(largest);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** The export without its one line that differs between two exports of the same catalogue. */
export function withoutExportedAt(text: string): string {
  return text.replace(/"exported_at":"[^"]*",/, '"exported_at":"…",');
}

/**
 * A catalogue with every kind of content: namespaces with awkward names (one empty), public and
 * private repos, long and Unicode text, build settings, tags pushed and moved, pulls and stars.
 */
export async function fillCatalogue(registry: Registry, random: Random, repos = 12): Promise<void> {
  await registry.createNamespace('empty-ns');
  const namespaces = ['acme', 'constructor', 'tostring'];
  for (let i = 0; i < repos; i++) {
    const ns = namespaces[i % namespaces.length] as string;
    const name = `repo-${i}${random.int(2) === 0 ? '.x' : '_y'}`;
    await registry.createRepo(ns, {
      repo_name: name,
      description: `Dépôt n°${i} — ünïcode ✓ "quoted"`,
      full_description: `# ${name}\n\n${'Some *markdown* with \\ backslashes and\ttabs. '.repeat(1 + random.int(5))}`,
      is_public: random.int(3) !== 0,
      ...(i % 4 === 1
        ? {
            build_config: {
              code_repo_client: 'Simple',
              tag_configs: [{ name: 'latest', opts: { nested: [1, 2.5, null, true] } }],
              '1': 'numeric key',
            },
          }
        : {}),
    });
    for (let t = 0; t < random.int(5); t++) await registry.putTag(ns, name, `v${t}.0`, HEX(random));
    if (random.int(2) === 0) await registry.putTag(ns, name, 'v0.0', HEX(random)).catch(() => undefined);
    const tags = await registry.listTags({ authenticated: true }, ns, name);
    for (let p = 0; p < random.int(3) && tags.length > 0; p++) await registry.recordPull(ns, name, (tags[0] as { tag: string }).tag);
    if (random.int(2) === 0) await registry.setStar(ns, name, true);
  }
}
