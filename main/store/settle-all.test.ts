import { describe, expect, it } from 'vitest';
import { SettleAll, settleAll } from './settle-all';

/** A task per item that the test finishes by hand, to see how many run at once. */
function gated() {
  const started: number[] = [];
  const finish = new Map<number, (fail?: Error) => void>();
  const fn = (item: number) =>
    new Promise<void>((resolve, reject) => {
      started.push(item);
      finish.set(item, (fail) => (fail ? reject(fail) : resolve()));
    });
  return { started, finish, fn };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SettleAll', () => {
  it('runs every item, no more than the width at a time, in order', async () => {
    const { started, finish, fn } = gated();
    const all = new SettleAll([1, 2, 3, 4, 5], 2, fn);
    expect(started).toEqual([1, 2]);
    finish.get(2)?.();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    for (const item of [1, 3, 4, 5]) {
      await tick();
      finish.get(item)?.();
    }
    await all.done();
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  it('widens while it runs', async () => {
    const { started, finish, fn } = gated();
    const all = new SettleAll([1, 2, 3, 4, 5, 6], 1, fn);
    expect(started).toEqual([1]);
    all.widen(3);
    expect(started).toEqual([1, 2, 3]);
    for (const item of [1, 2, 3, 4, 5, 6]) {
      await tick();
      finish.get(item)?.();
    }
    await all.done();
    expect(started).toHaveLength(6);
  });

  it("throws the earliest item's failure, whichever failed first", async () => {
    const { finish, fn } = gated();
    const all = new SettleAll([1, 2, 3], 3, fn);
    finish.get(3)?.(new Error('three failed'));
    await tick();
    finish.get(2)?.(new Error('two failed'));
    finish.get(1)?.();
    await expect(all.done()).rejects.toThrow('two failed');
  });

  it('runs the rest after a failure, then throws the first one', async () => {
    const ran: number[] = [];
    const run = settleAll([1, 2, 3, 4], 2, async (item) => {
      ran.push(item);
      if (item === 2) throw new Error('two failed');
      if (item === 3) throw new Error('three failed');
    });
    await expect(run).rejects.toThrow('two failed');
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it('an empty list is done at once', async () => {
    await expect(settleAll([], 4, () => Promise.reject(new Error('never called')))).resolves.toBeUndefined();
  });
});
