/**
 * Runs a function on every item of a list, a few at a time, all of them even when some fail.
 * Runners pull from one iterator: a checkpoint of thousands of files holds a promise per runner,
 * not one per file queued up front (those outlive young-generation collections, and promoting
 * them makes the collections long, which every request in flight waits for).
 */
export class SettleAll<T> {
  private readonly items: Iterator<T>;
  private readonly runners: Promise<void>[] = [];
  private taken = 0;
  /** The failure of the earliest item in the list that failed (not the first to fail in time). */
  private failure: { index: number; error: unknown } | null = null;

  constructor(
    items: Iterable<T>,
    width: number,
    private readonly fn: (item: T) => Promise<void>,
  ) {
    this.items = items[Symbol.iterator]();
    this.widen(width);
  }

  /** More at a time from now on (never fewer). */
  widen(width: number): void {
    while (this.runners.length < width) this.runners.push(this.run());
  }

  /** Resolves once every item has run; then throws the failure of the earliest item that failed. */
  async done(): Promise<void> {
    // widen() may add runners meanwhile: read the length afresh each time.
    for (let i = 0; i < this.runners.length; i++) await this.runners[i];
    if (this.failure) throw this.failure.error;
  }

  private async run(): Promise<void> {
    for (let next = this.items.next(); next.done !== true; next = this.items.next()) {
      const index = this.taken++;
      try {
        await this.fn(next.value);
      } catch (error) {
        if (!this.failure || index < this.failure.index) this.failure = { index, error };
      }
    }
  }
}

/** Runs fn on every item, `width` at a time, all of them even when some fail; then throws the earliest item's failure. */
export function settleAll<T>(items: Iterable<T>, width: number, fn: (item: T) => Promise<void>): Promise<void> {
  return new SettleAll(items, width, fn).done();
}
