/** Query keys, grouped so that one change event invalidates exactly what it touched. */
import type { ListReposQuery } from '../../../main/contract/types';

export const keys = {
  namespaces: ['namespaces'] as const,
  reposOf: (namespace: string) => ['repos', namespace] as const,
  repoPage: (namespace: string, query: ListReposQuery) => ['repos', namespace, query] as const,
  repo: (namespace: string, repoName: string) => ['repo', namespace, repoName] as const,
  reposDetailOf: (namespace: string) => ['repo', namespace] as const,
  tags: (namespace: string, repoName: string) => ['tags', namespace, repoName] as const,
  tagsOf: (namespace: string) => ['tags', namespace] as const,
  /** One tag's details: under its repo's tags, so a tag change refreshes it too. */
  tagDetail: (namespace: string, repoName: string, tag: string) => ['tags', namespace, repoName, 'detail', tag] as const,
  search: ['search'] as const,
  /** Every history query (a change anywhere may add an entry). */
  historyAll: ['history'] as const,
  history: (namespace: string, repoName: string) => ['history', namespace, repoName] as const,
  trash: ['trash'] as const,
  searchFor: (q: string) => ['search', q] as const,
  serverInfo: ['serverInfo'] as const,
  settings: ['settings'] as const,
  settingsProblems: ['settingsProblems'] as const,
  portSuggestion: (near: number) => ['portSuggestion', near] as const,
  /** Mutation key of settings changes (they run one at a time, see useUpdateSettings). */
  settingsChange: ['settingsChange'] as const,
  token: ['token'] as const,
  /** Registry connections (the sidebar) and one connection. */
  registries: ['registries'] as const,
  registry: (name: string) => ['registries', name] as const,
  /** What a registry holds (catalogue, tags, manifests), under one prefix per registry. */
  registryContent: (name: string) => ['registryContent', name] as const,
  registryRepositories: (name: string, namespace: string) => ['registryContent', name, 'repositories', namespace] as const,
  registryTags: (name: string, repository: string) => ['registryContent', name, 'tags', repository] as const,
  registryManifest: (name: string, repository: string, reference: string) =>
    ['registryContent', name, 'manifest', repository, reference] as const,
  /** Imports and syncs: the recent list, and one job. */
  jobs: ['jobs'] as const,
  job: (id: string) => ['jobs', id] as const,
  eventsConfig: (name: string) => ['eventsConfig', name] as const,
  registryDigestTags: (name: string, repository: string, reference: string) =>
    ['registryContent', name, 'digestTags', repository, reference] as const,
};
