import type { ChannelKind, ChannelSender, DeliveryOutcome } from '../core/channel.js';
import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { OutboxItem, Store } from '../core/store.js';
import { WakeSignal } from '../core/wake-signal.js';

export interface OutboxDispatcherOptions {
  batchSize: number;
  leaseMs: number;
  pollMs: number;
  /** Attempts before an item is given up and shown as failed. */
  maxAttempts: number;
  /** Backoff for attempt n: base·2^(n-1), capped, with full jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  random?: () => number;
  onError?: (error: unknown) => void;
}

/** How long a reply waits for an earlier one of its conversation before looking again. */
const ORDER_WAIT_MS = 250;

/**
 * Drains the outbox: every reply was written to it in the same transaction as the conversation's
 * new state, so a crash or a provider outage delays a reply but never loses it.
 */
export class OutboxDispatcher {
  #stopped = false;
  #loop: Promise<void> | null = null;
  readonly #signal = new WakeSignal();
  #unsubscribe: (() => void) | null = null;
  readonly #senders: Map<ChannelKind, ChannelSender>;

  constructor(
    private readonly deps: { store: Store; live: LiveEvents; clock: Clock },
    senders: readonly ChannelSender[],
    private readonly options: OutboxDispatcherOptions,
  ) {
    this.#senders = new Map(senders.map((sender) => [sender.channel, sender]));
  }

  start(): void {
    this.#unsubscribe = this.deps.live.subscribe((event) => {
      if (event.type === 'outbox-enqueued') this.#signal.wake();
    });
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#signal.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let dispatched = 0;
      try {
        dispatched = await this.dispatchDue();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (dispatched === 0 && !this.#stopped) await this.#signal.sleep(this.options.pollMs);
    }
  }

  /**
   * Sends what is due now; returns how many items were attempted. Conversations are sent in
   * parallel, each conversation's replies one after another and in order.
   */
  async dispatchDue(): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const items = await store.outbox.claimDue(
      now,
      new Date(now.getTime() + this.options.leaseMs),
      this.options.batchSize,
    );
    const byConversation = new Map<string, OutboxItem[]>();
    for (const item of items) {
      const queue = byConversation.get(item.conversationId) ?? [];
      queue.push(item);
      byConversation.set(item.conversationId, queue);
    }
    await Promise.all(
      [...byConversation.values()].map(async (queue) => {
        for (const [index, item] of queue.entries()) {
          const delivered = await this.#dispatch(item);
          if (!delivered) {
            // A later reply must not overtake one that is waiting: hold the rest briefly too.
            const later = new Date(clock.now().getTime() + 1_000);
            for (const rest of queue.slice(index + 1)) await store.outbox.defer(rest.id, later);
            return;
          }
        }
      }),
    );
    return items.length;
  }

  /** Delivers one item; false when it is still waiting (retry or deferred). */
  async #dispatch(item: OutboxItem): Promise<boolean> {
    const { store, clock, live } = this.deps;
    // Replies leave in the order they were written: an earlier one being retried, paced or sent
    // by another process holds this one back (without counting an attempt).
    const earlier = await store.outbox.earlierPendingDue(item.id);
    if (earlier) {
      const soonest = clock.now().getTime() + ORDER_WAIT_MS;
      await store.outbox.defer(item.id, new Date(Math.max(soonest, earlier.getTime() + 1)));
      return false;
    }
    const [message, conversation] = await Promise.all([
      store.messages.getById(item.businessId, item.messageId),
      store.conversations.getById(item.businessId, item.conversationId),
    ]);
    const sender = this.#senders.get(item.channel);
    if (!message || !conversation || !sender) {
      await store.outbox.markFailed(
        item.id,
        sender
          ? 'the message or conversation no longer exists'
          : `no sender for channel ${item.channel}`,
      );
      return true;
    }
    let outcome: DeliveryOutcome;
    try {
      outcome = await sender.deliver({
        outboxId: item.id,
        attempt: item.attempts,
        message,
        conversation,
      });
    } catch (error) {
      outcome = {
        kind: 'retry' as const,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    let settled = true;
    if (outcome.kind === 'sent') {
      const { channelMessageId } = outcome;
      await store.transaction(async (tx) => {
        // Forward only: a fast provider may have reported `delivered` already.
        await tx.channelMessages.advanceStatus(item.businessId, message.id, 'sent', {
          ...(channelMessageId ? { channelMessageId } : {}),
        });
        await tx.outbox.markSent(item.id);
      });
    } else if (outcome.kind === 'deferred') {
      await store.outbox.defer(item.id, new Date(clock.now().getTime() + outcome.retryAfterMs));
      return false;
    } else if (outcome.kind === 'retry' && item.attempts < this.options.maxAttempts) {
      const delay = outcome.retryAfterMs ?? this.#backoff(item.attempts);
      await store.outbox.reschedule(
        item.id,
        new Date(clock.now().getTime() + delay),
        outcome.error,
      );
      settled = false;
    } else {
      const error = outcome.error;
      await store.transaction(async (tx) => {
        await tx.messages.setStatus(item.businessId, message.id, 'failed', { error });
        await tx.outbox.markFailed(item.id, error);
      });
    }
    live.publish({
      type: 'message-updated',
      businessId: item.businessId,
      conversationId: item.conversationId,
      messageId: message.id,
    });
    return settled;
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** (attempt - 1),
    );
    return Math.round((this.options.random ?? Math.random)() * ceiling);
  }
}
