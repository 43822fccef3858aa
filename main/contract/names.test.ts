import { describe, expect, it } from 'vitest';
import { BerthError } from './errors';
import {
  assertValid,
  MESSAGES,
  normalizeImageId,
  validateDescription,
  validateFullDescription,
  validateImageId,
  validateIsPublic,
  validateNamespace,
  validateRepoName,
  validateTag,
} from './names';

const HEX = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';

describe('namespace and repository names (Docker Hub rule)', () => {
  const valid = [
    'ab',
    'a1',
    '12',
    'madams',
    'my-org',
    'my_org',
    'my.org',
    'a-b_c.d',
    'a'.repeat(255),
    'constructor',
    'tostring',
    'prototype',
    'hasownproperty',
  ];
  const invalid = [
    '',
    'a',
    'a'.repeat(256),
    'Madams',
    'ma dams',
    '-ab',
    'ab-',
    '.ab',
    'ab.',
    '_ab',
    'a--b',
    'a-.b',
    'a__b',
    'a/b',
    '__proto__',
    '..',
    'ab\n',
    'äb',
    'ab:cd',
  ];

  it.each(valid)('accepts %j as a namespace and as a repo name', (name) => {
    expect(validateNamespace(name)).toBeNull();
    expect(validateRepoName(name)).toBeNull();
  });

  it.each(invalid)('refuses %j with a sentence saying what is allowed', (name) => {
    expect(validateNamespace(name)).toBe(MESSAGES.namespace);
    expect(validateRepoName(name)).toBe(MESSAGES.repoName);
  });

  it('refuses values that are not text', () => {
    for (const v of [undefined, null, 12, {}, ['ab']]) {
      expect(validateNamespace(v)).toBe(MESSAGES.namespace);
      expect(validateRepoName(v)).toBe(MESSAGES.repoName);
    }
  });

  it('limits repo_path (namespace/repo) to 255 characters, reported for the repo name', () => {
    const ns = 'n'.repeat(100);
    expect(validateRepoName('r'.repeat(154), ns)).toBeNull(); // 100 + 1 + 154 = 255
    expect(validateRepoName('r'.repeat(155), ns)).toBe(MESSAGES.repoPath);
    expect(validateRepoName('r'.repeat(252), 'ab')).toBeNull(); // 2 + 1 + 252 = 255
    expect(validateRepoName('r'.repeat(253), 'ab')).toBe(MESSAGES.repoPath);
  });

  it('says what is allowed in a sentence a person can act on', () => {
    expect(MESSAGES.repoName).toBe('Repository names must be 2 to 255 characters: lowercase letters, digits, and . _ - between them.');
  });
});

describe('tags', () => {
  it.each(['a', 'A', '0', '_', 'latest', 'v1.2.3', 'V1-rc_2', '_x.', 'a'.repeat(128), 'constructor', '__proto__'])('accepts %j', (tag) => {
    expect(validateTag(tag)).toBeNull();
  });
  it.each(['', '.a', '-a', 'a'.repeat(129), 'a b', 'a/b', 'a:b', 'ä', 'a+b', 7])('refuses %j', (tag) => {
    expect(validateTag(tag)).toBe(MESSAGES.tag);
  });
});

describe('descriptions', () => {
  it('allows 100 characters of description and no more', () => {
    expect(validateDescription('')).toBeNull();
    expect(validateDescription('x'.repeat(100))).toBeNull();
    expect(validateDescription('x'.repeat(101))).toBe(MESSAGES.description);
  });

  it('counts characters as a person does, not UTF-16 units', () => {
    expect(validateDescription('🐳'.repeat(100))).toBeNull();
    expect(validateDescription('🐳'.repeat(101))).toBe(MESSAGES.description);
  });

  it('allows 25,000 characters of full description and no more', () => {
    expect(validateFullDescription('# Title\n' + 'x'.repeat(25_000 - 8))).toBeNull();
    expect(validateFullDescription('x'.repeat(25_001))).toBe(MESSAGES.fullDescription);
  });

  it('refuses descriptions and visibility of the wrong type', () => {
    expect(validateDescription(5)).toBe(MESSAGES.notText);
    expect(validateFullDescription(null)).toBe(MESSAGES.notText);
    expect(validateIsPublic('true')).toBe(MESSAGES.notBoolean);
    expect(validateIsPublic(false)).toBeNull();
  });
});

describe('image ids', () => {
  it('accepts 64 lowercase hex characters, with or without sha256:', () => {
    expect(validateImageId(HEX)).toBeNull();
    expect(normalizeImageId(HEX)).toBe(HEX);
    expect(normalizeImageId(`sha256:${HEX}`)).toBe(HEX);
  });

  it.each([
    HEX.slice(1),
    `${HEX}0`,
    HEX.toUpperCase(),
    `sha512:${HEX}`,
    `sha256:${HEX.slice(1)}`,
    `SHA256:${HEX}`,
    `${HEX.slice(1)}g`,
    '',
    42,
  ])('refuses %j', (id) => {
    expect(validateImageId(id)).toBe(MESSAGES.imageId);
    expect(() => normalizeImageId(id)).toThrow(BerthError);
    try {
      normalizeImageId(id);
    } catch (err) {
      expect((err as BerthError).code).toBe('validation_error');
      expect((err as BerthError).errors).toEqual({ image_id: [MESSAGES.imageId] });
    }
  });
});

describe('assertValid', () => {
  it('passes when every check is null', () => {
    expect(() => assertValid({ namespace: null, repo_name: undefined })).not.toThrow();
  });

  it('names every bad field in one validation_error', () => {
    try {
      assertValid({ namespace: validateNamespace('A'), repo_name: validateRepoName('ok-name'), tag: validateTag('-x') });
      expect.unreachable();
    } catch (err) {
      const e = err as BerthError;
      expect(e.code).toBe('validation_error');
      expect(e.status).toBe(400);
      expect(e.errors).toEqual({ namespace: [MESSAGES.namespace], tag: [MESSAGES.tag] });
    }
  });
});
