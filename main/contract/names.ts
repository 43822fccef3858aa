/**
 * Naming rules and limits (Docker Hub / distribution rules; README, "Names and limits").
 *
 * Pure functions without Node imports: the renderer imports this file to validate as the user
 * types, so the window and the API report the very same sentences.
 * Each validator answers an error message, or null when the value is valid.
 */
import { BerthError, type FieldErrors } from './errors';

const NAME_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_ID_PATTERN = /^[0-9a-f]{64}$/;

export const NAME_MIN = 2;
export const NAME_MAX = 255;
export const REPO_PATH_MAX = 255;
export const TAG_MAX = 128;
export const DESCRIPTION_MAX = 100;
export const FULL_DESCRIPTION_MAX = 25_000;

export const MESSAGES = {
  namespace: 'Namespace names must be 2 to 255 characters: lowercase letters, digits, and . _ - between them.',
  repoName: 'Repository names must be 2 to 255 characters: lowercase letters, digits, and . _ - between them.',
  registryName: 'Registry names must be 2 to 255 characters: lowercase letters, digits, and . _ - between them.',
  repoPath: 'The repository path (namespace/name) must be at most 255 characters; choose a shorter name.',
  tag: 'Tags must be 1 to 128 characters: letters, digits, and _ . - (not starting with . or -).',
  description: 'Descriptions must be at most 100 characters.',
  fullDescription: 'Full descriptions must be at most 25,000 characters.',
  imageId: 'Image IDs must be 64 lowercase hexadecimal characters, optionally prefixed with "sha256:".',
  notText: 'Must be text.',
  notBoolean: 'Must be true or false.',
} as const;

/** Length in characters as a person counts them (code points, not UTF-16 units). */
function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function validateName(s: unknown, message: string): string | null {
  if (typeof s !== 'string') return message;
  if (s.length < NAME_MIN || s.length > NAME_MAX) return message;
  return NAME_PATTERN.test(s) ? null : message;
}

export function validateNamespace(s: unknown): string | null {
  return validateName(s, MESSAGES.namespace);
}

/** With a namespace, also checks that `namespace/repo_name` fits in 255 characters. */
export function validateRepoName(s: unknown, namespace?: string): string | null {
  const bad = validateName(s, MESSAGES.repoName);
  if (bad) return bad;
  if (namespace !== undefined && namespace.length + 1 + (s as string).length > REPO_PATH_MAX) return MESSAGES.repoPath;
  return null;
}

/** A registry connection's name (docs/registries.md) follows the namespace rule. */
export function validateRegistryName(s: unknown): string | null {
  return validateName(s, MESSAGES.registryName);
}

export function validateTag(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.tag;
  return TAG_PATTERN.test(s) ? null : MESSAGES.tag;
}

export function validateDescription(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.notText;
  return charCount(s) > DESCRIPTION_MAX ? MESSAGES.description : null;
}

export function validateFullDescription(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.notText;
  return charCount(s) > FULL_DESCRIPTION_MAX ? MESSAGES.fullDescription : null;
}

export function validateIsPublic(v: unknown): string | null {
  return typeof v === 'boolean' ? null : MESSAGES.notBoolean;
}

/** Strips an optional `sha256:` prefix; the rest must be 64 lowercase hex characters. */
function stripImageId(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const bare = s.startsWith('sha256:') ? s.slice('sha256:'.length) : s;
  return IMAGE_ID_PATTERN.test(bare) ? bare : null;
}

export function validateImageId(s: unknown): string | null {
  return stripImageId(s) === null ? MESSAGES.imageId : null;
}

/** The stored form of an image id (no prefix); throws a validation_error under `image_id`. */
export function normalizeImageId(s: unknown): string {
  const bare = stripImageId(s);
  if (bare === null) throw BerthError.validation({ image_id: [MESSAGES.imageId] });
  return bare;
}

/**
 * Throws one validation_error naming every bad field, e.g.
 * `assertValid({ repo_name: validateRepoName(x), description: validateDescription(d) })`.
 */
export function assertValid(checks: Record<string, string | null | undefined>): void {
  const errors: FieldErrors = {};
  let bad = false;
  for (const [field, message] of Object.entries(checks)) {
    if (message) {
      errors[field] = [message];
      bad = true;
    }
  }
  if (bad) throw BerthError.validation(errors);
}

export function isValidNamespace(s: unknown): s is string {
  return validateNamespace(s) === null;
}

export function isValidRepoName(s: unknown): s is string {
  return validateRepoName(s) === null;
}

export function isValidTag(s: unknown): s is string {
  return validateTag(s) === null;
}

export function isValidRegistryName(s: unknown): s is string {
  return validateRegistryName(s) === null;
}
