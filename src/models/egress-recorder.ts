import type { ModelCallRecord, ModelCallRepository } from '../core/model-calls.js';

/**
 * Writes model-call records in batches, off the request path: a gateway call must not wait for
 * a database round trip. Records are flushed every `intervalMs` or at `batchSize`, and on close.
 */
export class EgressRecorder {
  #buffer: ModelCallRecord[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: Pick<ModelCallRepository, 'insertMany'>,
    private readonly options: {
      intervalMs?: number;
      batchSize?: number;
      onError?: (error: unknown) => void;
    } = {},
  ) {}

  record(record: ModelCallRecord): void {
    this.#buffer.push(record);
    if (this.#buffer.length >= (this.options.batchSize ?? 100)) {
      void this.flush();
    } else {
      this.#timer ??= setTimeout(() => void this.flush(), this.options.intervalMs ?? 200);
    }
  }

  /** Writes everything recorded so far; resolves when it is stored. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const batch = this.#buffer;
    this.#buffer = [];
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.repository.insertMany(batch);
      } catch (error) {
        this.options.onError?.(error);
      }
    });
    return this.#flushing;
  }
}
