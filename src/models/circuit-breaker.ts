import type { Clock } from '../core/clock.js';

/**
 * One model's breaker: after `failureThreshold` failures in a row it opens for `openForMs` (calls
 * skip to the next model at once instead of each waiting for a timeout); then one trial call is let
 * through (half-open), and its outcome closes or re-opens the breaker.
 */
export class CircuitBreaker {
  #failures = 0;
  #openUntil = 0;
  #trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly settings: { failureThreshold: number; openForMs: number },
  ) {}

  /** Whether a call may go through now; in half-open state only the first caller gets `true`. */
  tryAcquire(): boolean {
    if (this.#failures < this.settings.failureThreshold) return true;
    if (this.clock.now().getTime() < this.#openUntil || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.#failures < this.settings.failureThreshold) return 'closed';
    return this.clock.now().getTime() < this.#openUntil ? 'open' : 'half-open';
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#trialInFlight = false;
  }

  recordFailure(): void {
    this.#failures++;
    this.#trialInFlight = false;
    if (this.#failures >= this.settings.failureThreshold) {
      this.#openUntil = this.clock.now().getTime() + this.settings.openForMs;
    }
  }
}
