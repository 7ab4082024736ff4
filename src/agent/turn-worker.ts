import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { Conversation } from '../core/conversation.js';
import type { Store } from '../core/store.js';
import { WakeSignal } from '../core/wake-signal.js';
import { runAgentTurn, type AgentTurnDependencies } from './run-agent-turn.js';

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
    } catch (error) {
      // Leave the turn owed; release the lease so it is retried rather than lost.
      await this.deps.store.conversations
        .releaseTurn(claimed.businessId, claimed.id)
        .catch(() => {});
      throw error;
    } finally {
      this.#running--;
    }
  }
}
