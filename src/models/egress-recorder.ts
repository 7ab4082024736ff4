import type { ModelCallRecord, ModelCallRepository } from '../core/model-calls.js';
import { isModelRefusal } from '../core/model-refusal.js';

/** Records kept while the database cannot take them; beyond this the oldest are given up. */
const MAX_PENDING = 50_000;
/** Failed writes are tried again after this long, doubling up to `MAX_RETRY_MS`. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** After this many failures in a row, the batch is written one record at a time. */
const ATTEMPTS_BEFORE_SPLITTING = 3;

/**
 * Writes model-call records in batches, off the request path: a gateway call must not wait for
 * a database round trip. Records are flushed every `intervalMs` or at `batchSize`, and on close.
 * A failed write keeps its records and is tried again with a growing delay (the database may be
 * restarting); a batch that keeps failing is written record by record, so one record the database
 * refuses cannot hold back the rest. Records are given up only past `MAX_PENDING` or when a single
 * record is refused, and `onError` is told how many.
 */
export class EgressRecorder {
  #buffer: ModelCallRecord[] = [];
  /** Batches handed to the database and not yet known to be stored. */
  readonly #writing = new Set<ModelCallRecord[]>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();
  #failures = 0;

  constructor(
    private readonly repository: Pick<ModelCallRepository, 'insertMany'>,
    private readonly options: {
      intervalMs?: number;
      batchSize?: number;
      onError?: (error: unknown) => void;
    } = {},
  ) {}

  /** Records not yet stored. */
  get pending(): number {
    return this.#buffer.length;
  }

  record(record: ModelCallRecord): void {
    this.#buffer.push(record);
    if (this.#buffer.length > MAX_PENDING) {
      const dropped = this.#buffer.splice(0, this.#buffer.length - MAX_PENDING).length;
      this.options.onError?.(
        new Error(`The egress log could not be written; ${dropped} oldest records were given up.`),
      );
    }
    if (this.#failures === 0 && this.#buffer.length >= (this.options.batchSize ?? 100)) {
      void this.flush();
    } else {
      this.#schedule(this.options.intervalMs ?? 200);
    }
  }

  /**
   * The cost of records not yet known to be stored, of a business (or one of its contacts) since
   * `since`: budgets add it to what the ledger says.
   */
  unstoredCostMicros(businessId: string, contactId: string | null, since: Date): number {
    let total = 0;
    const add = (records: readonly ModelCallRecord[]) => {
      for (const record of records) {
        if (record.costMicros <= 0 || record.businessId !== businessId) continue;
        if (contactId !== null && record.contactId !== contactId) continue;
        if (record.at >= since) total += record.costMicros;
      }
    };
    add(this.#buffer);
    for (const batch of this.#writing) add(batch);
    return total;
  }

  /** Writes everything recorded so far; resolves when it is stored (or the write failed). */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    const batch = this.#buffer;
    this.#buffer = [];
    if (batch.length > 0) this.#writing.add(batch);
    this.#flushing = this.#flushing.then(() => this.#write(batch));
    return this.#flushing;
  }

  async #write(batch: ModelCallRecord[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      if (this.#failures >= ATTEMPTS_BEFORE_SPLITTING && batch.length > 1) {
        await this.#writeOneByOne(batch);
      } else {
        await this.repository.insertMany(batch);
      }
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      this.options.onError?.(error);
      // Keep them, before anything recorded meanwhile, and try again later.
      this.#buffer = [...batch, ...this.#buffer];
      this.#schedule(Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.#failures - 1)));
    } finally {
      this.#writing.delete(batch);
    }
  }

  /** Each record alone: the ones the database refuses are reported and given up. */
  async #writeOneByOne(batch: ModelCallRecord[]): Promise<void> {
    let refused = 0;
    let lastError: unknown = null;
    for (const record of batch) {
      try {
        await this.repository.insertMany([record]);
      } catch (error) {
        refused++;
        lastError = error;
      }
    }
    // None went in: the database is the problem, not the records; keep them all.
    if (refused === batch.length) throw lastError;
    if (refused > 0) {
      this.options.onError?.(
        new Error(`The egress log refused ${refused} records; they were given up.`, {
          cause: lastError,
        }),
      );
    }
  }

  #schedule(delayMs: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => void this.flush(), delayMs);
    // A retry must not keep a stopping process alive; `close` flushes what is left.
    if (this.#failures > 0) this.#timer.unref();
  }
}

/**
 * A failed call's short stable code for the egress log: a refusal's reason, `timeout`,
 * `http_<status>`, or the error's name; never its message, which may quote the prompt.
 */
export function egressErrorCode(error: unknown): string {
  if (isModelRefusal(error)) return error.reason;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') return `http_${status}`;
  return name || 'error';
}
