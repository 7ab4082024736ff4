import type { ChannelKind } from '../../core/channel.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../core/store.js';

interface Pending {
  entry: { channel: ChannelKind; body: string; receivedAt: Date };
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Appends verified webhooks to the durable inbox; the caller acknowledges (200) only once its
 * append committed. Requests that arrive while a write is in flight are written together in the
 * next one (group commit): under load one INSERT carries many webhooks, idle it adds no delay.
 */
export class WebhookIntake {
  #queue: Pending[] = [];
  #writing = false;
  #lastAcceptedAt = 0;

  constructor(
    private readonly deps: { store: Store; clock: Clock; onAppended?: () => void },
    private readonly maxBatch = 500,
  ) {}

  /** Resolves when the webhook is committed to the inbox; rejects if it could not be. */
  accept(channel: ChannelKind, body: string): Promise<void> {
    this.#lastAcceptedAt = performance.now();
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({
        entry: { channel, body, receivedAt: this.deps.clock.now() },
        resolve,
        reject,
      });
      if (!this.#writing) void this.#drain();
    });
  }

  /** Whether webhooks are arriving right now (one in the last `withinMs`, or being written). */
  isBusy(withinMs = 100): boolean {
    return this.#writing || performance.now() - this.#lastAcceptedAt < withinMs;
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      try {
        await this.deps.store.webhookInbox.append(batch.map((pending) => pending.entry));
        for (const pending of batch) pending.resolve();
        this.deps.onAppended?.();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.#writing = false;
  }
}
