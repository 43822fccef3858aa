import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TagView } from '../../../main/contract/types';
import { compareVersions, filterTags, sortTags, type TagSort } from './tag-order';

const IMAGE = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const tag = (name: string, at = '2024-05-01T10:00:00.000Z', image = IMAGE): TagView => ({
  tag: name,
  image_id: image,
  created_at: at,
  updated_at: at,
});
const names = (tags: TagView[]) => tags.map((t) => t.tag);

describe('tag orders', () => {
  it('newest first, tags pushed in the same millisecond by name', () => {
    const same = '2024-05-01T10:00:00.000Z';
    const tags = [
      tag('b', same),
      tag('old', '2024-01-01T00:00:00.000Z'),
      tag('a', same),
      tag('new', '2024-06-01T00:00:00.000Z'),
      tag('C', same),
    ];
    expect(names(sortTags(tags, 'newest'))).toEqual(['new', 'C', 'a', 'b', 'old']);
  });

  it('by name, ignoring case, with a fixed order for names that differ only in case', () => {
    expect(names(sortTags([tag('beta'), tag('Alpha'), tag('alpha'), tag('10'), tag('9')], 'name'))).toEqual([
      '10',
      '9',
      'Alpha',
      'alpha',
      'beta',
    ]);
  });

  it('by version: highest first, 1.10 above 1.9, a release above its variants, other tags last', () => {
    const tags = ['latest', '1.9.0', 'v1.10.0', '1.10.0-rc1', '1.10.0', '2', '1.10', 'canary', '1.10.0-alpine', '0.9'].map((n) => tag(n));
    expect(names(sortTags(tags, 'version'))).toEqual([
      '2',
      '1.10',
      '1.10.0',
      'v1.10.0',
      '1.10.0-alpine',
      '1.10.0-rc1',
      '1.9.0',
      '0.9',
      'canary',
      'latest',
    ]);
  });

  it('every order is total and stable: any input order gives the same result (property, seeded)', () => {
    const tagName = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,8}$/);
    const time = fc.constantFrom('2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.001Z', '2023-01-01T00:00:00.000Z');
    const tagList = fc.uniqueArray(fc.record({ name: tagName, at: time }), { selector: (t) => t.name, maxLength: 30 });
    for (const sort of ['newest', 'name', 'version'] as TagSort[]) {
      fc.assert(
        fc.property(
          tagList.chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })),
          ),
          ([list, shuffled]) => {
            const asTags = (l: typeof list) => l.map((t) => tag(t.name, t.at));
            expect(names(sortTags(asTags(shuffled), sort))).toEqual(names(sortTags(asTags(list), sort)));
          },
        ),
        { seed: 20240501, numRuns: 200 },
      );
    }
  });

  it('compareVersions is antisymmetric', () => {
    expect(compareVersions('1.2', '1.10')).toBeGreaterThan(0);
    expect(compareVersions('1.10', '1.2')).toBeLessThan(0);
    expect(compareVersions('latest', 'latest')).toBe(0);
  });
});

describe('tag filter', () => {
  it('matches a part of the name in any case, or the start of the image id', () => {
    const tags = [
      tag('release-1.0'),
      tag('Release-2.0'),
      tag('dev', undefined, 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287'),
    ];
    expect(names(filterTags(tags, 'RELEASE'))).toEqual(['release-1.0', 'Release-2.0']);
    expect(names(filterTags(tags, 'sha256:e72ac6'))).toEqual(['dev']);
    expect(names(filterTags(tags, '  '))).toEqual(['release-1.0', 'Release-2.0', 'dev']);
  });
});
