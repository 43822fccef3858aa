/** An export reads repo files without parsing their history tails: the rest must read the same. */
import { describe, expect, it } from 'vitest';
import { serialize } from '../files/durable-file';
import { newRepoRecord } from '../../test/support/catalogue';
import { repoFile, toRepoRecord, withoutHistoryTail, type RepoRecord } from './records';

const entry = (n: number, extra: object = {}) => ({
  id: `01j${String(n).padStart(23, '0')}`,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'api',
  action: 'tag.push',
  tag: `v${n}`,
  before: null,
  after: { image_id: 'a'.repeat(64), nested: { history: [1, 2], history_chunks: [] } },
  ...extra,
});

function repoWith(history: RepoRecord['history'], fields: Partial<RepoRecord> = {}): RepoRecord {
  return { ...newRepoRecord('web'), ...fields, history, history_chunks: [{ first: entry(0).id, count: 32 }] } as RepoRecord;
}

const read = (text: string) => toRepoRecord(JSON.parse(text));

describe('a repo file read without its history tail', () => {
  it('reads every other field the same, with the chunk list kept and no history entries', () => {
    const repo = repoWith([entry(1), entry(2), entry(3)]);
    const text = serialize(repoFile('acme', repo));
    const cut = withoutHistoryTail(text);
    expect(cut.length).toBeLessThan(text.length);
    const whole = read(text);
    expect(read(cut)).toEqual({ ...whole, repo: { ...whole.repo, history: [] } });
    expect(read(cut).repo.history_chunks).toEqual(repo.history_chunks);
  });

  it('is not fooled by the same words inside a description or an entry', () => {
    const trap = '\n  "history": [\n  "history_chunks": ';
    const repo = repoWith([entry(1, { after: { note: trap } })], { description: trap, full_description: `# ${trap}` });
    const text = serialize(repoFile('acme', repo));
    const whole = read(text);
    expect(read(withoutHistoryTail(text))).toEqual({ ...whole, repo: { ...whole.repo, history: [] } });
    expect(read(withoutHistoryTail(text)).repo.description).toBe(trap);
  });

  it('leaves text of another shape whole: compact, or without a history tail', () => {
    const compact = JSON.stringify(repoFile('acme', repoWith([entry(1)])));
    expect(withoutHistoryTail(compact)).toBe(compact);
    const noTail = serialize({ schema_version: 1, namespace: 'acme', ...newRepoRecord('web') });
    expect(withoutHistoryTail(noTail)).toBe(noTail);
  });
});
