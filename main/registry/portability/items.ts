/**
 * The export document's items and the store's records, both ways. Exported: every field of a
 * repo's detail, its tags with their times, its star and its build settings as given. Imported:
 * checked by the API's own rules (names, limits, image ids, build settings) plus the ones a
 * document needs (times in the API's form, derived fields that agree, no tag twice); every
 * problem is named by where it is, e.g. `repos[12].tags[3].image_id`.
 */
import type { FieldErrors } from '../../contract/errors';
import { compileFieldCheck } from '../../contract/field-errors';
import {
  validateDescription,
  validateFullDescription,
  validateImageId,
  validateNamespace,
  validateRegistryName,
  validateRemoteRepository,
  validateRepoName,
  validateTag,
} from '../../contract/names';
import { ExportedNamespace, ExportedRepo, type ExportedImage, type ExportedLink, type ExportedTag } from '../../contract/portability';
import type { BuildConfig } from '../../contract/types';
import type { ImageRecord, LinkRecord, NamespaceRecord, RepoRecord, RepoWithoutHistory, TagRecord } from '../../store';
import { validateBuildConfig, withBuildConfig } from '../build-config';
import { newRepoRecord } from '../defaults';
import { repoFields } from '../views';

export function exportedNamespace(r: NamespaceRecord): ExportedNamespace {
  return { namespace: r.namespace, created_at: r.created_at };
}

/** A repo as the document carries it: its detail's fields, its build settings as given, tags and link. */
export function exportedRepo(namespace: string, r: RepoWithoutHistory): ExportedRepo {
  return {
    ...repoFields(namespace, r),
    build_config: (r.build_config ?? null) as ExportedRepo['build_config'],
    tags: r.tags.map(exportedTag),
    link: r.link ? exportedLink(r.link) : null,
  };
}

function exportedTag(t: TagRecord): ExportedTag {
  const tag: ExportedTag = { tag: t.tag, image_id: t.image_id, created_at: t.created_at, updated_at: t.updated_at, source: t.source };
  return t.image ? { ...tag, image: exportedImage(t.image) } : tag;
}

function exportedImage(i: ImageRecord): ExportedImage {
  return {
    digest: i.digest,
    media_type: i.media_type,
    size: i.size,
    platforms: i.platforms.map((p) => ({ os: p.os, architecture: p.architecture, variant: p.variant })),
    image_created: i.image_created,
  };
}

function exportedLink(l: LinkRecord): ExportedLink {
  return {
    registry: l.registry,
    repository: l.repository,
    pull_ref: l.pull_ref,
    last_synced_at: l.last_synced_at,
    last_sync_error: l.last_sync_error,
  };
}

/** An export writes image ids as stored: 64 lowercase hexadecimal characters, no prefix. */
const STORED_IMAGE_ID = 'Must be 64 lowercase hexadecimal characters, without "sha256:" (as an export writes them).';

export const TIME_MESSAGE = 'Must be a time in ISO 8601 UTC with milliseconds, e.g. 2024-01-31T12:00:00.000Z.';
/** Fields the API sets itself (defaults of the seed); a document may carry any short text there. */
const LOGO_MAX = 1024;

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDTHH:MM:SS.mmmZ`, a real date (no February 30th): the one form the API writes.
 * Checked by hand, character by character: a document holds about forty times per repo, and
 * parsing each as a Date costs more than reading the whole item.
 */
export function isIsoTime(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 24) return false;
  if (
    value[4] !== '-' ||
    value[7] !== '-' ||
    value[10] !== 'T' ||
    value[13] !== ':' ||
    value[16] !== ':' ||
    value[19] !== '.' ||
    value[23] !== 'Z'
  ) {
    return false;
  }
  for (const i of DIGIT_AT) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const two = (i: number) => (value.charCodeAt(i) - 48) * 10 + value.charCodeAt(i + 1) - 48;
  const year = two(0) * 100 + two(2);
  const month = two(5);
  const day = two(8);
  if (month < 1 || month > 12 || day < 1 || two(11) > 23 || two(14) > 59 || two(17) > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : (DAYS[month - 1] as number));
}

const checkNamespaceShape = compileFieldCheck(ExportedNamespace);
const checkRepoShape = compileFieldCheck(ExportedRepo);

/** Collects problems under `at.field`. */
class Problems {
  readonly errors: FieldErrors = {};
  constructor(private readonly at: string) {}

  add(field: string, message: string | null | undefined): void {
    if (!message) return;
    const key = field ? `${this.at}.${field}` : this.at;
    (this.errors[key] ??= []).push(message);
  }

  addAll(errors: FieldErrors | null): void {
    if (!errors) return;
    for (const [field, messages] of Object.entries(errors))
      for (const m of messages) this.add(field === 'non_field_errors' ? '' : field, m);
  }

  get any(): boolean {
    return Object.keys(this.errors).length > 0;
  }
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export function importedNamespace(raw: unknown, at: string): Checked<NamespaceRecord> {
  const problems = new Problems(at);
  problems.addAll(checkNamespaceShape(raw));
  if (problems.any) return { ok: false, errors: problems.errors };
  const item = raw as ExportedNamespace;
  problems.add('namespace', validateNamespace(item.namespace));
  if (!isIsoTime(item.created_at)) problems.add('created_at', TIME_MESSAGE);
  if (problems.any) return { ok: false, errors: problems.errors };
  return { ok: true, value: { namespace: item.namespace, created_at: item.created_at } };
}

const SHORT_TEXT_MAX = 255;
const SYNC_ERROR_MAX = 2000;
// `host[:port]/path` as docker pull takes it: shown in the window for copying into a terminal,
// so nothing but a host name (or [IPv6]), a port and a repository path.
const PULL_REF = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)+$/;

/** `api`, `window`, `import` or `registry:<name>`: who last pushed a tag. */
function sourceProblem(source: string): string | null {
  if (source === 'api' || source === 'window' || source === 'import') return null;
  if (source.startsWith('registry:') && validateRegistryName(source.slice('registry:'.length)) === null) return null;
  return 'Must be api, window, import or registry:<a registry connection name>.';
}

function checkImage(image: ExportedImage, imageId: string, at: string, problems: Problems): void {
  if (image.digest !== `sha256:${imageId}`) problems.add(`${at}.digest`, `Must be "sha256:" followed by the tag's image_id.`);
  if (image.media_type.length === 0 || image.media_type.length > SHORT_TEXT_MAX || /[\s]/.test(image.media_type))
    problems.add(`${at}.media_type`, 'Must be a media type such as application/vnd.oci.image.manifest.v1+json.');
  if (!Number.isSafeInteger(image.size)) problems.add(`${at}.size`, 'Must be a whole number below 2^53.');
  image.platforms.forEach((p, i) => {
    for (const field of ['os', 'architecture', 'variant'] as const) {
      const value = p[field];
      if (value !== null && (value.length === 0 || value.length > SHORT_TEXT_MAX))
        problems.add(`${at}.platforms[${i}].${field}`, `Must be 1 to ${SHORT_TEXT_MAX} characters.`);
    }
  });
  if (image.image_created !== null && image.image_created.length > SHORT_TEXT_MAX)
    problems.add(`${at}.image_created`, `Ensure this field has no more than ${SHORT_TEXT_MAX} characters.`);
}

function checkLink(link: ExportedLink, problems: Problems): void {
  problems.add('link.registry', validateRegistryName(link.registry));
  problems.add('link.repository', validateRemoteRepository(link.repository));
  if (!PULL_REF.test(link.pull_ref) || !link.pull_ref.endsWith(`/${link.repository}`))
    problems.add('link.pull_ref', "Must be host[:port]/repository as docker pull takes it, ending in the link's repository.");
  if (link.last_synced_at !== null && !isIsoTime(link.last_synced_at)) problems.add('link.last_synced_at', TIME_MESSAGE);
  if (link.last_sync_error !== null && link.last_sync_error.length > SYNC_ERROR_MAX)
    problems.add('link.last_sync_error', `Ensure this field has no more than ${SYNC_ERROR_MAX} characters.`);
}

function checkTags(tags: readonly ExportedTag[], problems: Problems): void {
  const names = new Set<string>();
  tags.forEach((t, i) => {
    if (t.source !== undefined) problems.add(`tags[${i}].source`, sourceProblem(t.source));
    if (t.image !== undefined) checkImage(t.image, t.image_id, `tags[${i}].image`, problems);
    problems.add(`tags[${i}].tag`, validateTag(t.tag));
    if (names.has(t.tag)) problems.add(`tags[${i}].tag`, `Tag ${t.tag} appears twice in this repo.`);
    names.add(t.tag);
    // The stored form only: an export never writes a "sha256:" prefix.
    problems.add(`tags[${i}].image_id`, validateImageId(t.image_id) ?? (t.image_id.startsWith('sha256:') ? STORED_IMAGE_ID : null));
    if (!isIsoTime(t.created_at)) problems.add(`tags[${i}].created_at`, TIME_MESSAGE);
    if (!isIsoTime(t.updated_at)) problems.add(`tags[${i}].updated_at`, TIME_MESSAGE);
  });
}

/** Checks a repo item; answers its namespace and the record to store. */
export function importedRepo(raw: unknown, at: string): Checked<{ namespace: string; record: RepoRecord }> {
  const problems = new Problems(at);
  problems.addAll(checkRepoShape(raw));
  if (problems.any) return { ok: false, errors: problems.errors };
  const item = raw as ExportedRepo;
  const ns = item.namespace;
  const nsError = validateNamespace(ns);
  problems.add('namespace', nsError);
  problems.add('repo_name', validateRepoName(item.repo_name, nsError ? undefined : ns));
  if (item.repo_path !== undefined && item.repo_path !== `${ns}/${item.repo_name}`) {
    problems.add('repo_path', `Must be "${ns}/${item.repo_name}" (namespace/repo_name).`);
  }
  if (item.description !== undefined) problems.add('description', validateDescription(item.description));
  if (item.full_description !== undefined) problems.add('full_description', validateFullDescription(item.full_description));
  for (const field of ['logo', 'logo_file'] as const) {
    if ((item[field]?.length ?? 0) > LOGO_MAX) problems.add(field, `Ensure this field has no more than ${LOGO_MAX} characters.`);
  }
  for (const field of ['created_at', 'updated_at'] as const) if (!isIsoTime(item[field])) problems.add(field, TIME_MESSAGE);
  for (const field of ['pulled_at', 'pushed_at'] as const) {
    const value = item[field];
    if (value !== undefined && value !== null && !isIsoTime(value)) problems.add(field, TIME_MESSAGE);
  }
  for (const field of ['download', 'upload'] as const) {
    if (item[field] !== undefined && !Number.isSafeInteger(item[field])) problems.add(field, 'Must be a whole number below 2^53.');
  }
  const starred = item.is_repo_starred ?? item.repo_starred_count === 1;
  if (item.repo_starred_count !== undefined && item.repo_starred_count !== (starred ? 1 : 0)) {
    problems.add('repo_starred_count', `Must be ${starred ? 1 : 0}, as is_repo_starred says (the star is the local user's).`);
  }
  const config = (item.build_config ?? null) as BuildConfig | null;
  problems.add('build_config', validateBuildConfig(config));
  if (item.is_automated !== undefined && item.is_automated !== (config !== null)) {
    problems.add('is_automated', `Must be ${String(config !== null)}: a repo is automated exactly when it has build settings.`);
  }
  checkTags(item.tags ?? [], problems);
  if (item.link) checkLink(item.link, problems);
  if (problems.any) return { ok: false, errors: problems.errors };

  const plain = newRepoRecord(item.repo_name, {
    description: item.description ?? '',
    full_description: item.full_description ?? '',
    is_public: item.is_public ?? true,
    ...(item.logo !== undefined ? { logo: item.logo } : {}),
    ...(item.logo_file !== undefined ? { logo_file: item.logo_file } : {}),
    created_at: item.created_at,
    updated_at: item.updated_at,
    download: item.download ?? 0,
    upload: item.upload ?? 0,
    pulled_at: item.pulled_at ?? null,
    pushed_at: item.pushed_at ?? null,
    starred,
    // A tag the document does not say the source of was last pushed by the import.
    tags: (item.tags ?? []).map((t): TagRecord => ({
      tag: t.tag,
      image_id: t.image_id,
      created_at: t.created_at,
      updated_at: t.updated_at,
      source: t.source ?? 'import',
      ...(t.image ? { image: exportedImage(t.image) } : {}),
    })),
    link: item.link ? exportedLink(item.link) : null,
  });
  return { ok: true, value: { namespace: ns, record: config ? withBuildConfig(plain, config) : plain } };
}
