/** Change events: one per successful write, emitted after it is on disk. */
import type { ChangeEvent } from '../contract/types';

export class ChangeEvents {
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  on(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A broken listener must not undo or fail a write that is already on disk.
        console.error('Berth: a change listener failed:', err);
      }
    }
  }
}
