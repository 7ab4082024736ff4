import type { Clock } from '../core/clock.js';

/**
 * Remembers that the model just failed, so the next customers get menus at once instead of each
 * waiting for a timeout. Opens on a failed turn, closes after `openForMs`; then the next turn tries
 * the model again.
 */
export class ModelCircuit {
  #openUntil = 0;
  constructor(
    private readonly clock: Clock,
    private readonly openForMs = 30_000,
  ) {}

  isOpen(): boolean {
    return this.clock.now().getTime() < this.#openUntil;
  }

  recordFailure(): void {
    this.#openUntil = this.clock.now().getTime() + this.openForMs;
  }

  recordSuccess(): void {
    this.#openUntil = 0;
  }
}
