import type { LiveEvents } from '../../src/core/live-events.js';

interface Waiter {
  afterSeq: number;
  resolve(at: number): void;
}

interface ConversationLog {
  /** The latest `message-created` events, newest last: seq and `performance.now()`. */
  created: Array<{ seq: number; at: number }>;
  waiters: Waiter[];
}

const KEPT_EVENTS = 16;

/**
 * Timestamps `message-created` events as the store publishes them: once right after the customer's
 * message commits (in `receiveCustomerMessage`) and once right after the agent's reply commits
 * (in `runAgentTurn`). Both are published synchronously after their transaction, so the difference
 * is commit-to-commit.
 */
export class ReplyWatcher {
  readonly #logs = new Map<string, ConversationLog>();
  readonly #unsubscribe: () => void;

  constructor(live: LiveEvents) {
    this.#unsubscribe = live.subscribe((event) => {
      if (event.type !== 'message-created') return;
      const at = performance.now();
      const log = this.#log(event.conversationId);
      log.created.push({ seq: event.seq, at });
      if (log.created.length > KEPT_EVENTS) log.created.shift();
      log.waiters = log.waiters.filter((waiter) => {
        if (event.seq <= waiter.afterSeq) return true;
        waiter.resolve(at);
        return false;
      });
    });
  }

  /** When the message with this seq was committed (its event's time). */
  committedAt(conversationId: string, seq: number): number | undefined {
    return this.#log(conversationId).created.find((created) => created.seq === seq)?.at;
  }

  /** When the first message after `afterSeq` in the conversation was committed: the reply. */
  nextMessageAt(conversationId: string, afterSeq: number, timeoutMs = 30_000): Promise<number> {
    const log = this.#log(conversationId);
    const already = log.created.find((created) => created.seq > afterSeq);
    if (already) return Promise.resolve(already.at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        log.waiters = log.waiters.filter((waiter) => waiter !== entry);
        reject(
          new Error(
            `no reply in conversation ${conversationId} within ${timeoutMs} ms: is the turn worker running?`,
          ),
        );
      }, timeoutMs);
      const entry: Waiter = {
        afterSeq,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      log.waiters.push(entry);
    });
  }

  stop(): void {
    this.#unsubscribe();
  }

  #log(conversationId: string): ConversationLog {
    let log = this.#logs.get(conversationId);
    if (!log) {
      log = { created: [], waiters: [] };
      this.#logs.set(conversationId, log);
    }
    return log;
  }
}
