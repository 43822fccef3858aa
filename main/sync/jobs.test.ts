/**
 * The job book: jobs listed newest first, cancelled while queued at once, progress events at most
 * 10 a second, and, read back from the jobs file after a stop, every unfinished job `failed` with
 * detail `interrupted` (and saved so).
 */
import { describe, expect, it } from 'vitest';
import type { JobChangeEvent } from '../contract/sync';
import { JobBook, type JobsFile } from './jobs';

function memoryFile(initial: unknown = null): JobsFile & { data: unknown; writes: number } {
  const file = {
    data: initial,
    writes: 0,
    read: async () => file.data,
    write: async (data: unknown) => {
      file.data = JSON.parse(JSON.stringify(data));
      file.writes++;
    },
  };
  return file;
}

describe('the job book', () => {
  it('lists jobs newest first and pages them', async () => {
    const book = await JobBook.open(memoryFile());
    const a = await book.create('import', 'local', null);
    const b = await book.create('sync', 'local', 'team/app');
    expect(book.list({}).results.map((j) => j.id)).toEqual([b.id, a.id]);
    expect(book.list({ page: 2, page_size: 1 }).results.map((j) => j.id)).toEqual([a.id]);
    expect(() => book.get('nope')).toThrow(/Job nope was not found/);
  });

  it('cancels a queued job at once; a running one when it next looks; a finished one stays', async () => {
    const book = await JobBook.open(memoryFile());
    const queued = await book.create('import', 'local', null);
    expect(book.cancel(queued.id)).toMatchObject({ state: 'cancelled', finished_at: expect.any(String) });
    const running = await book.create('sync', 'local', 'team/app');
    book.start(running.id);
    expect(book.cancel(running.id).state).toBe('running');
    expect(book.isCancelled(running.id)).toBe(true);
    book.finish(running.id, 'cancelled', 'cancelled');
    book.finish(running.id, 'succeeded');
    expect(book.get(running.id).state).toBe('cancelled');
  });

  it('marks jobs unfinished at the last stop failed, detail interrupted, and saves that', async () => {
    const file = memoryFile();
    const before = await JobBook.open(file);
    const running = await before.create('import', 'local', null);
    before.start(running.id);
    before.setTotal(running.id, 4);
    before.step(running.id);
    const queued = await before.create('sync', 'local', 'team/app');
    const done = await before.create('sync', 'local', 'team/web');
    before.start(done.id);
    before.finish(done.id, 'succeeded');
    await before.close();

    const after = await JobBook.open(file);
    expect(after.get(running.id)).toMatchObject({ state: 'failed', detail: 'interrupted', finished_at: expect.any(String) });
    expect(after.get(queued.id)).toMatchObject({ state: 'failed', detail: 'interrupted' });
    expect(after.get(done.id)).toMatchObject({ state: 'succeeded', detail: null });
    const saved = (file.data as { jobs: { id: string; state: string }[] }).jobs;
    expect(saved.find((j) => j.id === running.id)?.state).toBe('failed');
  });

  it('reads a damaged jobs file as no jobs, and skips entries it cannot use', async () => {
    const file = memoryFile({
      jobs: [{ id: 'x' }, 'junk', { id: 'ok', kind: 'sync', state: 'succeeded', registry: 'r', created_at: 'now', __proto__: { evil: 1 } }],
    });
    const book = await JobBook.open(file);
    expect(book.list({}).results.map((j) => j.id)).toEqual(['ok']);
    const broken: JobsFile = { read: async () => Promise.reject(new Error('not JSON')), write: async () => undefined };
    expect((await JobBook.open(broken)).list({}).count).toBe(0);
  });

  it('sends progress at most every 100 ms, and a change of state at once', async () => {
    const book = await JobBook.open(memoryFile());
    const events: JobChangeEvent[] = [];
    book.onChange((e) => events.push(e));
    const job = await book.create('import', 'local', null);
    book.start(job.id);
    book.setTotal(job.id, 1000);
    for (let i = 0; i < 1000; i++) book.step(job.id);
    const progressEvents = events.filter((e) => e.job.state === 'running').length;
    // created, started, and one progress event at most so far (the rest are held for the next slot).
    expect(progressEvents).toBeLessThanOrEqual(2);
    book.finish(job.id, 'succeeded');
    expect(events.at(-1)?.job).toMatchObject({ state: 'succeeded', progress: { done: 1000, total: 1000 } });
  });
});
