/**
 * Naming rules and limits (Docker Hub / distribution rules; README, "Names and limits").
 *
 * Pure functions without Node imports: the renderer imports this file to validate as the user
 * types, so the window and the API report the very same sentences.
 * Each validator answers null when the value is valid, else a message that names the actual
 * problem ("Use lowercase: web", "Must be at least 2 characters.") rather than restating the rule.
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

/** What each rule allows, as a hint next to a field (the validators below name the actual problem). */
export const RULES = {
  name: 'Lowercase letters and digits, with single . _ - between them; 2 to 255 characters.',
  tag: 'Letters, digits and _ . - (not starting with . or -); up to 128 characters.',
  imageId: '64 lowercase hexadecimal characters, optionally prefixed with "sha256:".',
} as const;

/** The messages that do not depend on the value; the rest are built by the validators. */
export const MESSAGES = {
  notText: 'Must be text.',
  notBoolean: 'Must be true or false.',
  empty: 'Must not be empty.',
  nameTooShort: `Must be at least ${NAME_MIN} characters.`,
  nameEdges: 'Must start and end with a lowercase letter or a digit.',
  tagStart: 'Must start with a letter, a digit or _ (not . or -).',
  imageIdUppercase: 'Use lowercase hexadecimal digits (a-f, not A-F).',
  imageIdAlgorithm: 'Only sha256 digests are accepted: "sha256:" followed by 64 hexadecimal characters.',
} as const;

const number = (n: number) => n.toLocaleString('en-US');

function tooLong(max: number, actual: number): string {
  return `Must be at most ${number(max)} characters (this is ${number(actual)}).`;
}

/** "Space and “!”": the distinct characters a rule refuses, as a person would name them. */
function listCharacters(chars: Iterable<string>): string {
  const named = [...new Set(chars)].slice(0, 5).map((c) => (c === ' ' ? 'space' : /\s/.test(c) ? 'a line break or tab' : `“${c}”`));
  const last = named.pop() ?? '';
  const list = named.length === 0 ? last : `${named.join(', ')} and ${last}`;
  return list.charAt(0).toUpperCase() + list.slice(1);
}

/** Length in characters as a person counts them (code points, not UTF-16 units). */
function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Why `s` breaks the namespace / repository name rule (the valid case returns early and cheaply). */
function nameProblem(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.notText;
  if (s.length >= NAME_MIN && s.length <= NAME_MAX && NAME_PATTERN.test(s)) return null;
  if (s.length === 0) return MESSAGES.empty;
  if (charCount(s) < NAME_MIN) return MESSAGES.nameTooShort;
  if (charCount(s) > NAME_MAX) return tooLong(NAME_MAX, charCount(s));
  const refused = [...s].filter((c) => !/[A-Za-z0-9._-]/.test(c));
  if (refused.length > 0)
    return `${listCharacters(refused)} ${refused.length === 1 ? 'is' : 'are'} not allowed: use lowercase letters, digits and . _ -`;
  if (/[A-Z]/.test(s)) {
    const lower = s.toLowerCase();
    return NAME_PATTERN.test(lower) ? `Use lowercase: ${lower}` : 'Use lowercase letters (no capitals).';
  }
  if (/^[._-]|[._-]$/.test(s)) return MESSAGES.nameEdges;
  const run = /[._-]{2,}/.exec(s)?.[0] ?? '';
  return `Put a single . _ or - between letters or digits (not “${run}”).`;
}

export function validateNamespace(s: unknown): string | null {
  return nameProblem(s);
}

/** With a namespace, also checks that `namespace/repo_name` fits in 255 characters. */
export function validateRepoName(s: unknown, namespace?: string): string | null {
  const bad = nameProblem(s);
  if (bad) return bad;
  const pathLength = namespace === undefined ? 0 : namespace.length + 1 + (s as string).length;
  if (pathLength > REPO_PATH_MAX) {
    return `The repository path (namespace/name) must be at most ${REPO_PATH_MAX} characters (this is ${pathLength}); choose a shorter name.`;
  }
  return null;
}

/** A registry connection's name (docs/registries.md) follows the namespace rule. */
export function validateRegistryName(s: unknown): string | null {
  return nameProblem(s);
}

// Distribution's reference grammar for a repository path: components of lower-case
// alphanumerics joined by separators (`.`, `_`, `__`, or dashes), separated by `/`.
const REMOTE_PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const REMOTE_PATH_MAX = 255;

/** A repository path in a registry (`team/app`), as docs/registries.md describes it. */
export function validateRemoteRepository(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.notText;
  if (s.length <= REMOTE_PATH_MAX && s.split('/').every((part) => REMOTE_PATH_COMPONENT.test(part))) return null;
  return 'Must be a repository path such as team/app (lower-case letters, digits, . _ - separated by /).';
}

export function validateTag(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.notText;
  if (TAG_PATTERN.test(s)) return null;
  if (s.length === 0) return MESSAGES.empty;
  if (charCount(s) > TAG_MAX) return tooLong(TAG_MAX, charCount(s));
  const refused = [...s].filter((c) => !/[A-Za-z0-9_.-]/.test(c));
  if (refused.length > 0)
    return `${listCharacters(refused)} ${refused.length === 1 ? 'is' : 'are'} not allowed in a tag: use letters, digits and _ . -`;
  return MESSAGES.tagStart;
}

export function validateDescription(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.notText;
  const length = charCount(s);
  return length > DESCRIPTION_MAX ? tooLong(DESCRIPTION_MAX, length) : null;
}

export function validateFullDescription(s: unknown): string | null {
  if (typeof s !== 'string') return MESSAGES.notText;
  if (s.length <= FULL_DESCRIPTION_MAX) return null;
  const length = charCount(s);
  return length > FULL_DESCRIPTION_MAX ? tooLong(FULL_DESCRIPTION_MAX, length) : null;
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
  if (stripImageId(s) !== null) return null;
  if (typeof s !== 'string') return MESSAGES.notText;
  if (s.length === 0) return MESSAGES.empty;
  const colon = s.indexOf(':');
  if (colon >= 0 && s.slice(0, colon) !== 'sha256') return MESSAGES.imageIdAlgorithm;
  const hex = colon >= 0 ? s.slice(colon + 1) : s;
  const refused = [...hex].filter((c) => !/[0-9a-fA-F]/.test(c));
  if (refused.length > 0)
    return `${listCharacters(refused)} ${refused.length === 1 ? 'is not a hexadecimal digit' : 'are not hexadecimal digits'}: use 0-9 and a-f.`;
  if (/[A-F]/.test(hex)) return MESSAGES.imageIdUppercase;
  return `Must be 64 hexadecimal characters (this is ${hex.length}), optionally prefixed with "sha256:".`;
}

/** The stored form of an image id (no prefix); throws a validation_error under `image_id`. */
export function normalizeImageId(s: unknown): string {
  const bare = stripImageId(s);
  if (bare === null) throw BerthError.validation({ image_id: [validateImageId(s) ?? MESSAGES.imageIdAlgorithm] });
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
