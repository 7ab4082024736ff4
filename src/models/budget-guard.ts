import type { Clock } from '../core/clock.js';
import type { ModelCallRepository } from '../core/model-calls.js';
import { ModelRefusedError } from '../core/model-refusal.js';
import type { BudgetSettings } from '../core/model-settings.js';

/** What a call holds of today's budgets while it runs. */
export interface BudgetHold {
  /** Releases the hold and counts the call's real cost (0 when it failed); once only. */
  settle(costMicros: number): void;
}

const NO_HOLD: BudgetHold = { settle: () => {} };

export interface BudgetAlert {
  scope: 'business' | 'contact';
  businessId: string;
  contactId: string | null;
  spentMicros: number;
  limitMicros: number;
}

/**
 * Daily budgets (UTC days) per business and per contact, with a hard stop: once spent, calls are
 * refused with `ModelRefusedError('budget-exhausted')` and the agent answers with menus. Spend is
 * read from the ledger once per business/contact and day, then kept in memory as calls are noted;
 * several Parley processes each see their own calls plus what was stored when they first looked.
 *
 * Calls in flight hold an estimate of their cost (`reserve`), so a burst of concurrent calls cannot
 * all pass the check while nothing is spent yet: a call is refused when what is spent plus what
 * the calls in flight hold reaches the limit. The hold is swapped for the real cost when the call
 * ends, in memory, without waiting for the egress log's write.
 */
export class BudgetGuard {
  readonly #spent = new Map<string, Promise<number> | number>();
  readonly #held = new Map<string, number>();
  readonly #alerted = new Set<string>();

  constructor(
    private readonly settings: BudgetSettings,
    private readonly ledger: Pick<ModelCallRepository, 'spend'>,
    private readonly clock: Clock,
    private readonly onAlert: (alert: BudgetAlert) => void = () => {},
  ) {}

  get enabled(): boolean {
    return this.settings.perBusinessPerDay !== null || this.settings.perContactPerDay !== null;
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
    // Load first; then check and hold with no await in between, so concurrent calls see each other.
    if (business !== null) await this.#load(businessId, null);
    if (contact !== null) await this.#load(businessId, contactId);
    const keys: string[] = [];
    if (business !== null) {
      const key = this.#key(businessId, null);
      if (this.#committed(key) >= business * 1e6) {
        throw new ModelRefusedError(
          'budget-exhausted',
          `Today's model budget of ${business} for this business is spent. Customers get menus until midnight UTC; raise models.budgets.perBusinessPerDay to allow more.`,
        );
      }
      keys.push(key);
    }
    if (contact !== null) {
      const key = this.#key(businessId, contactId);
      if (this.#committed(key) >= contact * 1e6) {
        throw new ModelRefusedError(
          'budget-exhausted',
          `Today's model budget of ${contact} for this contact is spent. They get menus until midnight UTC; raise models.budgets.perContactPerDay to allow more.`,
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
        void this.note(businessId, contactId, costMicros);
      },
    };
  }

  /** Spent today plus what the calls in flight hold (the key's spend is loaded). */
  #committed(key: string): number {
    const spent = this.#spent.get(key);
    return (typeof spent === 'number' ? spent : 0) + (this.#held.get(key) ?? 0);
  }

  /** Adds a call's cost to today's totals (after it was made). */
  async note(businessId: string, contactId: string | null, costMicros: number): Promise<void> {
    if (!this.enabled || costMicros <= 0) return;
    await this.#add(businessId, null, costMicros, this.settings.perBusinessPerDay);
    if (contactId !== null) {
      await this.#add(businessId, contactId, costMicros, this.settings.perContactPerDay);
    }
  }

  async #add(
    businessId: string,
    contactId: string | null,
    costMicros: number,
    limit: number | null,
  ): Promise<void> {
    if (limit === null) return;
    const key = this.#key(businessId, contactId);
    const loaded = await this.#load(businessId, contactId);
    // Another call may have added since the load resolved: add to the latest number.
    const current = this.#spent.get(key);
    const spent = (typeof current === 'number' ? current : loaded) + costMicros;
    this.#spent.set(key, spent);
    const limitMicros = limit * 1e6;
    if (spent >= limitMicros * this.settings.alertAt && !this.#alerted.has(key)) {
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

  #day = '';

  #key(businessId: string, contactId: string | null): string {
    const day = this.clock.now().toISOString().slice(0, 10);
    if (day !== this.#day) {
      // A new day: yesterday's totals are of no more use (and would grow without end).
      this.#day = day;
      this.#spent.clear();
      this.#held.clear();
      this.#alerted.clear();
    }
    return `${day}|${businessId}|${contactId ?? ''}`;
  }

  #load(businessId: string, contactId: string | null): Promise<number> {
    const key = this.#key(businessId, contactId);
    const known = this.#spent.get(key);
    if (typeof known === 'number') return Promise.resolve(known);
    if (known) return known;
    const now = this.clock.now();
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const loading = this.ledger.spend(businessId, {
      since,
      ...(contactId === null ? {} : { contactId }),
    });
    this.#spent.set(key, loading);
    return loading.then((value) => {
      if (this.#spent.get(key) === loading) this.#spent.set(key, value);
      return value;
    });
  }
}
