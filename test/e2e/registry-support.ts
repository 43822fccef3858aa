/** A real docker-registry for the UI tests, holding images they push themselves (test/registries/rig). */
import type { Locator, Page } from '@playwright/test';
import { buildImage, buildIndex, type BuiltImage, type BuiltManifest } from '../registries/rig/images';
import { pushImage, pushIndex, putManifest } from '../registries/rig/pusher';
import { startRegistry, type RunningRegistry } from '../registries/rig/registry-process';

export interface SeededRegistry {
  registry: RunningRegistry;
  app: BuiltImage;
  other: BuiltImage;
  arm: BuiltImage;
  index: BuiltManifest;
}

/** team/app (1.0 and latest share one image, dev another), team/multi (a two-platform index), and more names to fill the list. */
export async function startSeededRegistry(options: { manyTags?: number } = {}): Promise<SeededRegistry> {
  const registry = await startRegistry({ deleteEnabled: true });
  const target = { url: registry.url };
  const app = buildImage({
    format: 'oci',
    labels: { 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.source': 'https://git.example.com/team/app' },
    created: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString(),
    layers: [{ 'app.txt': 'x'.repeat(2000) }, { 'config.yml': 'port: 8080\n' }],
  });
  const other = buildImage({
    format: 'docker',
    labels: { maintainer: 'ops@example.com' },
    created: new Date(Date.now() - 3600 * 1000).toISOString(),
  });
  const arm = buildImage({ format: 'oci', architecture: 'arm64', variant: 'v8', layers: [{ big: 'y'.repeat(6000) }] });
  const index = buildIndex('oci', [app, arm], {
    'org.opencontainers.image.created': new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString(),
  });
  await pushImage(target, 'team/app', ['1.0', 'latest'], app);
  await pushImage(target, 'team/app', ['dev'], other);
  await pushIndex(target, 'team/multi', ['v1', 'stable'], index, [app, arm]);
  for (const name of ['team/web', 'team/worker', 'tools/cli', 'edge/proxy']) await pushImage(target, name, ['latest'], other);
  if (options.manyTags) {
    await pushImage(target, 'team/many', [], other);
    for (let i = 0; i < options.manyTags; i++) await putManifest(target, 'team/many', `v${String(i).padStart(4, '0')}`, other);
  }
  return { registry, app, other, arm, index };
}

export const registriesSection = (page: Page): Locator => page.getByRole('region', { name: 'Registries' });
export const catalogue = (page: Page, name: string): Locator => page.getByRole('listbox', { name: `Repositories in ${name}` });
export const repositoryDetail = (page: Page): Locator => page.getByRole('region', { name: 'Repository in the registry' });
export const tagRow = (page: Page, tag: string): Locator =>
  repositoryDetail(page).getByRole('row', { name: new RegExp(`^${tag.replace(/\./g, '\\.')}\\b`) });
