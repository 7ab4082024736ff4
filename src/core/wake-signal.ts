/**
 * Where a background worker waits between polls: until `wake()` (new work was written in this
 * process, or the worker is stopping) or until its poll interval passes, whichever comes first.
 */
export class WakeSignal {
  readonly #sleepers = new Set<() => void>();

  /** Resolves at the next `wake()`, or after `ms` (null: only at `wake()`). */
  sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = ms === null ? null : setTimeout(done, ms);
      this.#sleepers.add(done);
    });
  }

  /** Ends every sleep now. */
  wake(): void {
    for (const done of [...this.#sleepers]) done();
  }
}
