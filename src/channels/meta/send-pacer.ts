import type { Clock } from '../../core/clock.js';

/** A token bucket: `capacity` sends at once, refilled at `perSecond`. */
class TokenBucket {
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  /** Milliseconds until a token is available (0: one is, now). */
  waitFor(now: number): number {
    this.#refill(now);
    const paused = Math.max(0, this.#pausedUntil - now);
    const short = this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000);
    return Math.max(paused, short);
  }

  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }

  pause(now: number, milliseconds: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, now + milliseconds);
    this.#tokens = Math.min(this.#tokens, 0);
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.capacity, this.#tokens + elapsed * this.perSecond);
    this.#updatedAt = now;
  }
}

export interface SendPacerOptions {
  /** Per-recipient pacing: Meta's pair rate is one message per 6 s, with bursts up to 45. */
  recipientIntervalMs: number;
  recipientBurst: number;
  /** Recipients idle longer than this are forgotten (their bucket would be full again). */
  forgetAfterMs?: number;
}

export const DEFAULT_PACER_OPTIONS: SendPacerOptions = {
  recipientIntervalMs: 6_000,
  recipientBurst: 45,
};

/**
 * Keeps sends under Meta's limits before Meta enforces them: a token bucket per sending account
 * (a WhatsApp number: 80 messages/s by default) and one per (account, recipient) for the pair
 * rate. In-process: several Parley processes each get the full budget (see ARCHITECTURE.md).
 */
export class SendPacer {
  readonly #accounts = new Map<string, TokenBucket>();
  readonly #recipients = new Map<string, { bucket: TokenBucket; usedAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: SendPacerOptions = DEFAULT_PACER_OPTIONS,
  ) {}

  /**
   * Takes a send from both budgets and returns 0, or returns how long to wait (taking nothing).
   */
  reserve(account: { key: string; perSecond: number }, recipient: string): number {
    const now = this.clock.now().getTime();
    const accountBucket = this.#account(account, now);
    const recipientBucket = this.#recipient(account.key, recipient, now);
    const wait = Math.max(accountBucket.waitFor(now), recipientBucket.bucket.waitFor(now));
    if (wait > 0) return wait;
    accountBucket.take(now);
    recipientBucket.bucket.take(now);
    recipientBucket.usedAt = now;
    return 0;
  }

  /** Meta said the account is over its throughput: hold every send of it for a while. */
  pauseAccount(account: { key: string; perSecond: number }, milliseconds: number): void {
    const now = this.clock.now().getTime();
    this.#account(account, now).pause(now, milliseconds);
  }

  /** Meta said this recipient got too many messages (pair rate): hold only theirs. */
  pauseRecipient(accountKey: string, recipient: string, milliseconds: number): void {
    const now = this.clock.now().getTime();
    this.#recipient(accountKey, recipient, now).bucket.pause(now, milliseconds);
  }

  #account(account: { key: string; perSecond: number }, now: number): TokenBucket {
    let bucket = this.#accounts.get(account.key);
    if (!bucket) {
      bucket = new TokenBucket(account.perSecond, account.perSecond, now);
      this.#accounts.set(account.key, bucket);
    }
    return bucket;
  }

  #recipient(accountKey: string, recipient: string, now: number) {
    const key = `${accountKey}\u0000${recipient}`;
    let entry = this.#recipients.get(key);
    if (!entry) {
      this.#forgetIdle(now);
      entry = {
        bucket: new TokenBucket(
          this.options.recipientBurst,
          1000 / this.options.recipientIntervalMs,
          now,
        ),
        usedAt: now,
      };
      this.#recipients.set(key, entry);
    }
    return entry;
  }

  #forgetIdle(now: number): void {
    const idle =
      this.options.forgetAfterMs ??
      this.options.recipientIntervalMs * this.options.recipientBurst * 2;
    if (this.#recipients.size < 10_000) return;
    for (const [key, entry] of this.#recipients) {
      if (now - entry.usedAt > idle) this.#recipients.delete(key);
    }
  }
}
