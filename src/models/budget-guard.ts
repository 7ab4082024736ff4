import type { Clock } from '../core/clock.js';
import type { ModelCallRepository } from '../core/model-calls.js';
import { ModelRefusedError } from '../core/model-refusal.js';
import type { BudgetSettings } from '../core/model-settings.js';

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
 */
export class BudgetGuard {
  readonly #spent = new Map<string, Promise<number> | number>();
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
    const business = this.settings.perBusinessPerDay;
    if (business !== null) {
      const spent = await this.#load(businessId, null);
      if (spent >= business * 1e6) {
        throw new ModelRefusedError(
          'budget-exhausted',
          `Today's model budget of ${business} for this business is spent. Customers get menus until midnight UTC; raise models.budgets.perBusinessPerDay to allow more.`,
        );
      }
    }
    const contact = this.settings.perContactPerDay;
    if (contact !== null && contactId !== null) {
      const spent = await this.#load(businessId, contactId);
      if (spent >= contact * 1e6) {
        throw new ModelRefusedError(
          'budget-exhausted',
          `Today's model budget of ${contact} for this contact is spent. They get menus until midnight UTC; raise models.budgets.perContactPerDay to allow more.`,
        );
      }
    }
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
