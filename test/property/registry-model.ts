/**
 * The registry as a user understands it, in a few lines: namespaces hold repos, repos hold tags,
 * counters count. The property test replays the same random operations here and against a real
 * `serve`, and the two must agree. Maps, not objects, so names like `constructor` are plain keys.
 */

export interface ModelRepo {
  description: string;
  full_description: string;
  is_public: boolean;
  download: number;
  upload: number;
  starred: boolean;
  pulled: boolean;
  pushed: boolean;
  /** tag -> image id (64 hex, without a sha256: prefix) */
  tags: Map<string, string>;
  /** Last updated_at seen from the server, while nothing that changes it has happened since. */
  updatedAt?: string;
  /** created_at never changes once seen. */
  createdAt?: string;
}

export type Model = Map<string, Map<string, ModelRepo>>;

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{64}$/;

export const isValidName = (name: string): boolean => name.length >= 2 && name.length <= 255 && NAME.test(name);
export const isValidTag = (tag: string): boolean => TAG.test(tag);
export const isValidImageId = (id: unknown): id is string => typeof id === 'string' && IMAGE_ID.test(id);
export const stripSha = (id: string): string => id.replace(/^sha256:/, '');
export const repoPathFits = (ns: string, repo: string): boolean => ns.length + 1 + repo.length <= 255;

export function newRepo(input: { description?: string; full_description?: string; is_public?: boolean }): ModelRepo {
  return {
    description: input.description ?? '',
    full_description: input.full_description ?? '',
    is_public: input.is_public ?? true,
    download: 0,
    upload: 0,
    starred: false,
    pulled: false,
    pushed: false,
    tags: new Map(),
  };
}

/** What a detail answer must say about a repo the model knows. */
export function expectedDetail(ns: string, name: string, repo: ModelRepo): Record<string, unknown> {
  return {
    namespace: ns,
    repo_name: name,
    repo_path: `${ns}/${name}`,
    description: repo.description,
    full_description: repo.full_description,
    is_public: repo.is_public,
    is_automated: false,
    logo: 'default-icon.jpg',
    logo_file: '/static/images/user/default-logo.png',
    download: repo.download,
    upload: repo.upload,
    repo_starred_count: repo.starred ? 1 : 0,
    is_repo_starred: repo.starred,
  };
}
