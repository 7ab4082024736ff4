import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { Store } from '../core/store.js';
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
  #sleepers = new Set<() => void>();
  #loops: Promise<void>[] = [];
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: AgentTurnDependencies & { store: Store; live: LiveEvents; clock: Clock },
    private readonly options: TurnWorkerOptions,
  ) {}

  start(): void {
    this.#unsubscribe = this.deps.live.subscribe((event) => {
      if (event.type === 'turn-requested') this.#wakeAll();
    });
    for (let index = 0; index < this.options.concurrency; index++) this.#loops.push(this.#loop());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#wakeAll();
    await Promise.all(this.#loops);
  }

  /** Turns in progress right now. */
  get running(): number {
    return this.#running;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let worked = false;
      try {
        worked = await this.runOnce();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!worked && !this.#stopped) await this.#sleep();
    }
  }

  /** Claims and runs one owed turn; false when there was none. */
  async runOnce(): Promise<boolean> {
    const now = this.deps.clock.now();
    const claimed = await this.deps.store.conversations.claimPendingTurn(
      now,
      new Date(now.getTime() + this.options.leaseMs),
    );
    if (!claimed) return false;
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
    return true;
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.options.pollMs);
      this.#sleepers.add(done);
    });
  }

  #wakeAll(): void {
    for (const wake of [...this.#sleepers]) wake();
  }
}
