import type { Clock } from '../core/clock.js';
import type { ModelCallRepository } from '../core/model-calls.js';
import { ModelRefusedError } from '../core/model-refusal.js';
import type { BudgetSettings } from '../core/model-settings.js';
import { businessDay } from './business-day.js';

/** What a call holds of today's budgets while it runs. */
export interface BudgetHold {
  /** Releases the hold and counts the call's real cost (0 when it failed); once only. */
  settle(costMicros: number): void;
}

const NO_HOLD: BudgetHold = { settle: () => {} };

/** How long a spend read from the database is trusted before it is read again. */
const REFRESH_MS = 1_000;

export interface BudgetAlert {
  scope: 'business' | 'contact';
  businessId: string;
  contactId: string | null;
  spentMicros: number;
  limitMicros: number;
}

export interface BudgetGuardOptions {
  /** The business's IANA time zone: its day is the budget's day. Default UTC. */
  timeZone?: string;
  /** How long a spend read from the ledger is used before it is read again. */
  refreshMs?: number;
  /**
   * The cost of this process's records not yet in the ledger (the egress log writes behind the
   * calls), for the business or one contact since `since`.
   */
  unstoredMicros?: (businessId: string, contactId: string | null, since: Date) => number;
}

/** One budget's spend today: the ledger's figure as last read, corrected for this process. */
interface SpendState {
  /** Ledger spend + this process's unstored records at the read − what was noted before it. */
  base: number;
  readAt: number;
  reading: Promise<void> | null;
}

/**
 * Daily budgets per business and per contact, with a hard stop: once spent, calls are refused
 * with `ModelRefusedError('budget-exhausted')` and the agent answers with menus. A day is the
 * business's calendar day in its time zone.
 *
 * The spend is the ledger's (`model_calls`, shared by every Parley process on one database), read
 * again when it is older than `refreshMs`, plus what this process noted since and has not yet
 * written. So several processes on one PostgreSQL see each other's spend within about a second;
 * what they cannot see is each other's calls still running (and the spend of the last second):
 * that, not the whole budget again per process, is how far a budget can be overshot.
 *
 * Calls in flight hold an estimate of their cost (`reserve`), so a burst of concurrent calls cannot
 * all pass the check while nothing is spent yet: a call is refused when what is spent plus what
 * the calls in flight hold reaches the limit. The hold is swapped for the real cost when the call
 * ends, in memory, without waiting for the egress log's write.
 */
export class BudgetGuard {
  readonly #spend = new Map<string, SpendState>();
  /** Costs this process noted today, per budget. */
  readonly #noted = new Map<string, number>();
  readonly #held = new Map<string, number>();
  readonly #alerted = new Set<string>();
  readonly #timeZone: string;
  readonly #refreshMs: number;
  readonly #unstored: NonNullable<BudgetGuardOptions['unstoredMicros']>;
  #day = '';
  #since = new Date(0);

  constructor(
    private readonly settings: BudgetSettings,
    private readonly ledger: Pick<ModelCallRepository, 'spend'>,
    private readonly clock: Clock,
    private readonly onAlert: (alert: BudgetAlert) => void = () => {},
    options: BudgetGuardOptions = {},
  ) {
    this.#timeZone = options.timeZone ?? 'UTC';
    this.#refreshMs = options.refreshMs ?? REFRESH_MS;
    this.#unstored = options.unstoredMicros ?? (() => 0);
  }

  get enabled(): boolean {
    return this.settings.perBusinessPerDay !== null || this.settings.perContactPerDay !== null;
  }

  /** The business's current day (`YYYY-MM-DD`) and the instant it began. */
  today(): { day: string; since: Date } {
    return businessDay(this.clock.now(), this.#timeZone);
  }

  /** Throws when the business's or the contact's budget for today is spent. */
  async check(businessId: string, contactId: string | null): Promise<void> {
    (await this.reserve(businessId, contactId, 0)).settle(0);
  }

  /**
   * Throws when the business's or the contact's budget for today is spent, counting what the
   * calls in flight hold; otherwise holds `estimateMicros` until the returned hold is settled
   * with the call's real cost (0 when it failed).
   */
  async reserve(
    businessId: string,
    contactId: string | null,
    estimateMicros: number,
  ): Promise<BudgetHold> {
    const business = this.settings.perBusinessPerDay;
    const contact = contactId === null ? null : this.settings.perContactPerDay;
    if (business === null && contact === null) return NO_HOLD;
    // Read first; then check and hold with no await in between, so concurrent calls see each other.
    await Promise.all([
      business !== null ? this.#refresh(businessId, null) : null,
      contact !== null ? this.#refresh(businessId, contactId) : null,
    ]);
    const keys: string[] = [];
    const until = this.#timeZone === 'UTC' ? 'midnight UTC' : `midnight (${this.#timeZone})`;
    if (business !== null) {
      const key = this.#key(businessId, null);
      if (this.#committed(key) >= business * 1e6) {
        throw new ModelRefusedError(
          'budget-exhausted',
          `Today's model budget of ${business} for this business is spent. Customers get menus until ${until}; raise models.budgets.perBusinessPerDay to allow more.`,
        );
      }
      keys.push(key);
    }
    if (contact !== null) {
      const key = this.#key(businessId, contactId);
      if (this.#committed(key) >= contact * 1e6) {
        throw new ModelRefusedError(
          'budget-exhausted',
          `Today's model budget of ${contact} for this contact is spent. They get menus until ${until}; raise models.budgets.perContactPerDay to allow more.`,
        );
      }
      keys.push(key);
    }
    for (const key of keys) this.#held.set(key, (this.#held.get(key) ?? 0) + estimateMicros);
    let settled = false;
    return {
      settle: (costMicros) => {
        if (settled) return;
        settled = true;
        for (const key of keys) {
          const held = this.#held.get(key);
          // A new day cleared the holds of yesterday's calls.
          if (held !== undefined) this.#held.set(key, Math.max(0, held - estimateMicros));
        }
        this.note(businessId, contactId, costMicros);
      },
    };
  }

  /** Adds a call's cost to today's totals (after it was made and recorded in the egress log). */
  note(businessId: string, contactId: string | null, costMicros: number): void {
    if (!this.enabled || costMicros <= 0) return;
    this.#add(businessId, null, costMicros, this.settings.perBusinessPerDay);
    if (contactId !== null) {
      this.#add(businessId, contactId, costMicros, this.settings.perContactPerDay);
    }
  }

  /** Spent today (as far as this process knows), without holds; null before the first read. */
  #spent(key: string): number | null {
    const state = this.#spend.get(key);
    if (!state || state.readAt === -Infinity) return null;
    return state.base + (this.#noted.get(key) ?? 0);
  }

  /** Spent today plus what the calls in flight hold. */
  #committed(key: string): number {
    return (this.#spent(key) ?? 0) + (this.#held.get(key) ?? 0);
  }

  #add(businessId: string, contactId: string | null, costMicros: number, limit: number | null) {
    if (limit === null) return;
    const key = this.#key(businessId, contactId);
    this.#noted.set(key, (this.#noted.get(key) ?? 0) + costMicros);
    const spent = this.#spent(key);
    const limitMicros = limit * 1e6;
    if (spent !== null && spent >= limitMicros * this.settings.alertAt && !this.#alerted.has(key)) {
      this.#alerted.add(key);
      this.onAlert({
        scope: contactId === null ? 'business' : 'contact',
        businessId,
        contactId,
        spentMicros: spent,
        limitMicros,
      });
    }
  }

  #key(businessId: string, contactId: string | null): string {
    const { day, since } = this.today();
    if (day !== this.#day) {
      // A new day: yesterday's totals are of no more use (and would grow without end).
      this.#day = day;
      this.#since = since;
      this.#spend.clear();
      this.#noted.clear();
      this.#held.clear();
      this.#alerted.clear();
    }
    return `${day}|${businessId}|${contactId ?? ''}`;
  }

  /** Reads the ledger's spend again when it is older than `refreshMs` (once at a time). */
  #refresh(businessId: string, contactId: string | null): Promise<void> | null {
    const key = this.#key(businessId, contactId);
    let state = this.#spend.get(key);
    if (state?.reading) return state.reading;
    const now = this.clock.now().getTime();
    if (state && now - state.readAt < this.#refreshMs) return null;
    if (!state) {
      state = { base: 0, readAt: -Infinity, reading: null };
      this.#spend.set(key, state);
    }
    const since = this.#since;
    // Costs noted before the read that are already in the ledger must not count twice; the ones
    // not yet written are counted from the egress log's queue. A record written while the query
    // runs may count twice until the next read: the cautious side for a hard stop.
    const notedBefore = this.#noted.get(key) ?? 0;
    const unstored = this.#unstored(businessId, contactId, since);
    const target = state;
    target.reading = this.ledger
      .spend(businessId, { since, ...(contactId === null ? {} : { contactId }) })
      .then(
        (stored) => {
          target.base = stored + unstored - notedBefore;
          target.readAt = now;
        },
        (error: unknown) => {
          // Without a figure the budget cannot be checked: refuse rather than spend blindly.
          if (target.readAt === -Infinity) throw error;
        },
      )
      .finally(() => {
        target.reading = null;
      });
    return target.reading;
  }
}
