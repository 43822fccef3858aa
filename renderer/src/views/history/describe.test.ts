import { describe, expect, it } from 'vitest';
import type { HistoryEntryView } from '../../../../main/contract/types';
import { actorLabel, describeEntry, restorable } from './describe';

const A = 'a4002247cb22e78c8d9ffeccdf7ea23d7763f53493d4d763cb4dbe58bf3566b5';
const B = 'e72ac664f4f0c6a061ac4ef332557a70d69b0c62fb6add35f1c181ff7fff2287';
const entry = (fields: Partial<HistoryEntryView>): HistoryEntryView => ({
  id: '01jaaaaaaaaaaaaaaaaaaaaaaa',
  at: '2026-01-01T00:00:00.000Z',
  actor: 'api',
  action: 'repo.create',
  namespace: 'acme',
  repo: 'web',
  ...fields,
});

describe('history entries in words', () => {
  it('says who acted', () => {
    expect(['api', 'window', 'import', 'registry:hub'].map(actorLabel)).toEqual(['Local API', 'Berth window', 'Import', 'Registry hub']);
  });

  it('says what changed, tags with their short image ids', () => {
    expect(describeEntry(entry({ action: 'tag.move', tag: 'latest', before: A, after: B }))).toBe(
      'Moved tag latest from a4002247cb22 to e72ac664f4f0',
    );
    expect(describeEntry(entry({ action: 'tag.delete', tag: 'latest', before: A, after: null }))).toBe('Deleted tag latest (a4002247cb22)');
    expect(describeEntry(entry({ action: 'repo.update', before: { is_public: true }, after: { is_public: false } }))).toBe(
      'Made the repository private',
    );
    expect(
      describeEntry(
        entry({ action: 'repo.update', before: { description: 'a', is_public: false }, after: { description: 'b', is_public: true } }),
      ),
    ).toBe('Changed the description, visibility (now public)');
  });

  it('offers Restore only on entries after which a tag existed', () => {
    expect(restorable(entry({ action: 'tag.create', tag: 'latest', before: null, after: A }))).toBe(true);
    expect(restorable(entry({ action: 'tag.delete', tag: 'latest', before: A, after: null }))).toBe(false);
    expect(restorable(entry({ action: 'repo.update', after: { description: 'x' } }))).toBe(false);
  });
});
