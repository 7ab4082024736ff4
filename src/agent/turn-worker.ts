import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { Conversation } from '../core/conversation.js';
import type { Store } from '../core/store.js';
import { WakeSignal } from '../core/wake-signal.js';
import { runAgentTurn, type AgentTurnDependencies } from './run-agent-turn.js';

/** A turn that failed twice in a row waits this long before its next try, doubling up to the max. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

export interface TurnWorkerOptions {
  /** Turns run at once in this process. */
  concurrency: number;
  /** How long a claimed turn is leased; a crashed process's turns are retried after it. */
  leaseMs: number;
  /** Safety net: look for owed turns this often even without an event (crash recovery, peers). */
  pollMs: number;
  onError?: (error: unknown) => void;
}

/**
 * Drains conversations that owe an agent turn. Woken by `turn-requested` events and by a poll, so
 * turns owed before a crash or written by another process are found too.
 */
export class TurnWorker {
  #running = 0;
  #stopped = false;
  readonly #signal = new WakeSignal();
  #loops: Promise<void>[] = [];
  /** Failures in a row of the turns that failed last time they ran, by conversation. */
  readonly #failures = new Map<string, number>();
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: AgentTurnDependencies & { store: Store; live: LiveEvents; clock: Clock },
    private readonly options: TurnWorkerOptions,
  ) {}

  start(): void {
    this.#unsubscribe = this.deps.live.subscribe((event) => {
      if (event.type === 'turn-requested') this.#signal.wake();
    });
    for (let index = 0; index < this.options.concurrency; index++) {
      this.#loops.push(this.#loop(index === 0));
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#signal.wake();
    await Promise.all(this.#loops);
  }

  /** Turns in progress right now. */
  get running(): number {
    return this.#running;
  }

  /**
   * One of the `concurrency` loops. Only the first polls on a timer; the others sleep until an
   * event, or until the first finds an owed turn and wakes them: an idle process makes one claim
   * per poll, not one per loop (on PGlite each claim holds the event loop).
   */
  async #loop(polls: boolean): Promise<void> {
    while (!this.#stopped) {
      let claimed: Conversation | null = null;
      try {
        claimed = await this.#claim();
        if (claimed) {
          // What a poll finds may be more than one turn: let the sleeping loops look too.
          if (polls) this.#signal.wake();
          await this.#run(claimed);
        }
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!claimed && !this.#stopped) await this.#signal.sleep(polls ? this.options.pollMs : null);
    }
  }

  /** Claims and runs one owed turn; false when there was none. */
  async runOnce(): Promise<boolean> {
    const claimed = await this.#claim();
    if (!claimed) return false;
    await this.#run(claimed);
    return true;
  }

  #claim(): Promise<Conversation | null> {
    const now = this.deps.clock.now();
    return this.deps.store.conversations.claimPendingTurn(
      now,
      new Date(now.getTime() + this.options.leaseMs),
    );
  }

  async #run(claimed: Conversation): Promise<void> {
    this.#running++;
    try {
      await runAgentTurn(this.deps, claimed);
      this.#failures.delete(claimed.id);
    } catch (error) {
      // Leave the turn owed, to be retried rather than lost: at once after a first failure (most
      // pass, like a database restarting), then after a delay that doubles with each failure in a
      // row, so a turn that always fails cannot keep a loop retrying it as fast as it can.
      const failures = (this.#failures.get(claimed.id) ?? 0) + 1;
      this.#failures.set(claimed.id, failures);
      const delayMs =
        failures === 1 ? 0 : Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 2));
      const retryAt = delayMs === 0 ? null : new Date(this.deps.clock.now().getTime() + delayMs);
      await this.deps.store.conversations
        .releaseTurn(claimed.businessId, claimed.id, retryAt)
        .catch(() => {});
      throw error;
    } finally {
      this.#running--;
    }
  }
}
