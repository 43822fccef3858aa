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
  // Each refusal names what is wrong with this value, not the whole rule.
  const invalid: [string, string][] = [
    ['', 'Must not be empty.'],
    ['a', 'Must be at least 2 characters.'],
    ['a'.repeat(256), 'Must be at most 255 characters (this is 256).'],
    ['Madams', 'Use lowercase: madams'],
    ['Web-App', 'Use lowercase: web-app'],
    ['ma dams', 'Space is not allowed: use lowercase letters, digits and . _ -'],
    ['Web App!', 'Space and “!” are not allowed: use lowercase letters, digits and . _ -'],
    ['-ab', 'Must start and end with a lowercase letter or a digit.'],
    ['ab-', 'Must start and end with a lowercase letter or a digit.'],
    ['.ab', 'Must start and end with a lowercase letter or a digit.'],
    ['ab.', 'Must start and end with a lowercase letter or a digit.'],
    ['_ab', 'Must start and end with a lowercase letter or a digit.'],
    ['a--b', 'Put a single . _ or - between letters or digits (not “--”).'],
    ['a-.b', 'Put a single . _ or - between letters or digits (not “-.”).'],
    ['a__b', 'Put a single . _ or - between letters or digits (not “__”).'],
    ['a/b', '“/” is not allowed: use lowercase letters, digits and . _ -'],
    ['__proto__', 'Must start and end with a lowercase letter or a digit.'],
    ['..', 'Must start and end with a lowercase letter or a digit.'],
    ['ab\n', 'A line break or tab is not allowed: use lowercase letters, digits and . _ -'],
    ['äb', '“ä” is not allowed: use lowercase letters, digits and . _ -'],
    ['ab:cd', '“:” is not allowed: use lowercase letters, digits and . _ -'],
    ['A_', 'Use lowercase letters (no capitals).'],
  ];

  it.each(valid)('accepts %j as a namespace and as a repo name', (name) => {
    expect(validateNamespace(name)).toBeNull();
    expect(validateRepoName(name)).toBeNull();
  });

  it.each(invalid)('refuses %j saying what is wrong: %s', (name, message) => {
    expect(validateNamespace(name)).toBe(message);
    expect(validateRepoName(name)).toBe(message);
  });

  it('refuses values that are not text', () => {
    for (const v of [undefined, null, 12, {}, ['ab']]) {
      expect(validateNamespace(v)).toBe(MESSAGES.notText);
      expect(validateRepoName(v)).toBe(MESSAGES.notText);
    }
  });

  it('limits repo_path (namespace/repo) to 255 characters, reported for the repo name with its length', () => {
    const ns = 'n'.repeat(100);
    expect(validateRepoName('r'.repeat(154), ns)).toBeNull(); // 100 + 1 + 154 = 255
    expect(validateRepoName('r'.repeat(155), ns)).toBe(
      'The repository path (namespace/name) must be at most 255 characters (this is 256); choose a shorter name.',
    );
    expect(validateRepoName('r'.repeat(252), 'ab')).toBeNull(); // 2 + 1 + 252 = 255
    expect(validateRepoName('r'.repeat(253), 'ab')).toMatch(/this is 256/);
  });
});

describe('tags', () => {
  it.each(['a', 'A', '0', '_', 'latest', 'v1.2.3', 'V1-rc_2', '_x.', 'a'.repeat(128), 'constructor', '__proto__'])('accepts %j', (tag) => {
    expect(validateTag(tag)).toBeNull();
  });
  it.each([
    ['', 'Must not be empty.'],
    ['.a', MESSAGES.tagStart],
    ['-a', MESSAGES.tagStart],
    ['a'.repeat(129), 'Must be at most 128 characters (this is 129).'],
    ['a b', 'Space is not allowed in a tag: use letters, digits and _ . -'],
    ['a/b', '“/” is not allowed in a tag: use letters, digits and _ . -'],
    ['a:b', '“:” is not allowed in a tag: use letters, digits and _ . -'],
    ['ä', '“ä” is not allowed in a tag: use letters, digits and _ . -'],
    ['a+b', '“+” is not allowed in a tag: use letters, digits and _ . -'],
    [7, MESSAGES.notText],
  ])('refuses %j: %s', (tag, message) => {
    expect(validateTag(tag)).toBe(message);
  });
});

describe('descriptions', () => {
  it('allows 100 characters of description and no more, saying how many there are', () => {
    expect(validateDescription('')).toBeNull();
    expect(validateDescription('x'.repeat(100))).toBeNull();
    expect(validateDescription('x'.repeat(101))).toBe('Must be at most 100 characters (this is 101).');
  });

  it('counts characters as a person does, not UTF-16 units', () => {
    expect(validateDescription('🐳'.repeat(100))).toBeNull();
    expect(validateDescription('🐳'.repeat(101))).toBe('Must be at most 100 characters (this is 101).');
  });

  it('allows 25,000 characters of full description and no more', () => {
    expect(validateFullDescription('# Title\n' + 'x'.repeat(25_000 - 8))).toBeNull();
    expect(validateFullDescription('🐳'.repeat(25_000))).toBeNull();
    expect(validateFullDescription('x'.repeat(25_001))).toBe('Must be at most 25,000 characters (this is 25,001).');
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
    [HEX.slice(1), 'Must be 64 hexadecimal characters (this is 63), optionally prefixed with "sha256:".'],
    [`${HEX}0`, 'Must be 64 hexadecimal characters (this is 65), optionally prefixed with "sha256:".'],
    [`sha256:${HEX.slice(1)}`, 'Must be 64 hexadecimal characters (this is 63), optionally prefixed with "sha256:".'],
    [HEX.toUpperCase(), MESSAGES.imageIdUppercase],
    [`sha512:${HEX}`, MESSAGES.imageIdAlgorithm],
    [`SHA256:${HEX}`, MESSAGES.imageIdAlgorithm],
    [`${HEX.slice(1)}g`, '“g” is not a hexadecimal digit: use 0-9 and a-f.'],
    ['', MESSAGES.empty],
    [42, MESSAGES.notText],
  ])('refuses %j: %s', (id, message) => {
    expect(validateImageId(id)).toBe(message);
    expect(() => normalizeImageId(id)).toThrow(BerthError);
    try {
      normalizeImageId(id);
    } catch (err) {
      expect((err as BerthError).code).toBe('validation_error');
      expect((err as BerthError).errors).toEqual({ image_id: [message] });
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
      expect(e.errors).toEqual({ namespace: [MESSAGES.nameTooShort], tag: [MESSAGES.tagStart] });
    }
  });
});
