/**
 * Automated-build settings (`build_config`), which the hosted service's own clients send when they
 * create or update a repo. Berth builds nothing: it keeps the settings as given and shows them.
 * They must be a JSON object of JSON values, at most 16 KiB as compact JSON in UTF-8, without a
 * `__proto__` or `constructor.prototype` key at any depth (the request body rule, applied here
 * too because the window's calls do not go through the HTTP parser).
 *
 * Pure functions without Node imports, like names.ts.
 */
import type { BuildConfig, BuildConfigView } from '../contract/types';
import type { RepoRecord } from '../store/records';

export const BUILD_CONFIG_MAX_BYTES = 16 * 1024;
/** Levels of objects and lists, the settings object itself being the first. */
export const BUILD_CONFIG_MAX_DEPTH = 64;

export const BUILD_CONFIG_MESSAGES = {
  notObject: 'Must be a JSON object or null.',
  tooLarge: 'Build settings must be at most 16 KiB (16,384 bytes as compact JSON).',
  tooDeep: `Build settings must be nested at most ${BUILD_CONFIG_MAX_DEPTH} levels deep.`,
  notJson: 'Build settings must hold JSON values only: text, finite numbers, true/false, null, lists and objects.',
  forbiddenKey: (key: string, at: string) => `The key "${key}" is not allowed in build settings (at ${at}).`,
} as const;

/** Bytes of `literal` (a JSON string literal, so every surrogate in it is half of a pair) in UTF-8. */
function utf8Length(literal: string): number {
  let bytes = 0;
  for (let i = 0; i < literal.length; i++) {
    const unit = literal.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

class Refused {
  constructor(readonly message: string) {}
}

/**
 * Walks the value once, counting the bytes JSON.stringify would write and stopping as soon as
 * the budget is spent, so an oversized value from the window costs no more than 16 KiB of work.
 */
class Walk {
  private left = BUILD_CONFIG_MAX_BYTES;

  private spend(bytes: number): void {
    this.left -= bytes;
    if (this.left < 0) throw new Refused(BUILD_CONFIG_MESSAGES.tooLarge);
  }

  private string(s: string): void {
    // Every character takes at least one byte: a string longer than the budget needs no encoding.
    if (s.length + 2 > this.left) throw new Refused(BUILD_CONFIG_MESSAGES.tooLarge);
    this.spend(utf8Length(JSON.stringify(s)));
  }

  value(value: unknown, depth: number, at: string): void {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'boolean':
        return this.spend(value ? 4 : 5);
      case 'number':
        if (!Number.isFinite(value)) throw new Refused(BUILD_CONFIG_MESSAGES.notJson);
        return this.spend(JSON.stringify(value).length);
      case 'object':
        if (value === null) return this.spend(4);
        if (depth > BUILD_CONFIG_MAX_DEPTH) throw new Refused(BUILD_CONFIG_MESSAGES.tooDeep);
        return Array.isArray(value) ? this.list(value, depth, at) : this.object(value, depth, at);
      default:
        throw new Refused(BUILD_CONFIG_MESSAGES.notJson);
    }
  }

  private list(items: readonly unknown[], depth: number, at: string): void {
    this.spend(2 + Math.max(0, items.length - 1));
    for (let i = 0; i < items.length; i++) {
      // A hole (possible in a list from the window) is not a JSON value.
      if (!(i in items)) throw new Refused(BUILD_CONFIG_MESSAGES.notJson);
      this.value(items[i], depth + 1, `${at}[${i}]`);
    }
  }

  private object(value: object, depth: number, at: string): void {
    // Dates, Maps and class instances (the window's structured clone can carry them) are not JSON.
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Refused(BUILD_CONFIG_MESSAGES.notJson);
    const keys = Object.keys(value);
    this.spend(2 + Math.max(0, keys.length - 1));
    for (const key of keys) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') throw new Refused(BUILD_CONFIG_MESSAGES.forbiddenKey('__proto__', at));
      if (key === 'constructor' && typeof child === 'object' && child !== null && Object.hasOwn(child, 'prototype')) {
        throw new Refused(BUILD_CONFIG_MESSAGES.forbiddenKey('constructor.prototype', at));
      }
      this.string(key);
      this.spend(1);
      this.value(child, depth + 1, `${at}.${key}`);
    }
  }
}

/** An error message, or null when the value is acceptable (null included: it removes the settings). */
export function validateBuildConfig(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return BUILD_CONFIG_MESSAGES.notObject;
  try {
    new Walk().value(value, 1, 'build_config');
    return null;
  } catch (err) {
    if (err instanceof Refused) return err.message;
    throw err;
  }
}

/**
 * The repo with these settings (validated already), which make it automated; null removes them
 * and makes it a plain repo again. What is stored is a fresh copy of plain JSON, so a caller
 * keeping the object it passed cannot change what was stored.
 */
export function withBuildConfig(repo: RepoRecord, config: BuildConfig | null): RepoRecord {
  const { build_config: _replaced, ...rest } = repo;
  if (config === null) return { ...rest, is_automated: false };
  return { ...rest, is_automated: true, build_config: JSON.parse(JSON.stringify(config)) as BuildConfig };
}

/** The settings as a repo's detail shows them: as given, plus whose repo it is (the hosted service's fields). */
export function buildConfigView(namespace: string, repoName: string, config: BuildConfig | undefined): BuildConfigView | null {
  if (config === undefined) return null;
  return { ...config, created_by: namespace, docker_repo_path: `${namespace}/${repoName}` };
}
