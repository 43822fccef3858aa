/** What a new repo looks like before anyone edits, pushes, pulls or stars it (the seed's defaults). */
import { newRepoId, type RepoRecord } from '../store';

export const DEFAULT_LOGO = 'default-icon.jpg';
export const DEFAULT_LOGO_FILE = '/static/images/user/default-logo.png';

/** A repo record with the registry's defaults; `overrides` replaces any field. */
export function newRepoRecord(repoName: string, overrides: Partial<RepoRecord> = {}, now = new Date().toISOString()): RepoRecord {
  return {
    id: newRepoId(now),
    repo_name: repoName,
    description: '',
    full_description: '',
    is_public: true,
    is_automated: false,
    logo: DEFAULT_LOGO,
    logo_file: DEFAULT_LOGO_FILE,
    created_at: now,
    updated_at: now,
    download: 0,
    upload: 0,
    pulled_at: null,
    pushed_at: null,
    starred: false,
    tags: [],
    history: [],
    history_chunks: [],
    link: null,
    ...overrides,
  };
}
