import type { Clock } from '../core/clock.js';
import type { LeadSettings } from '../core/leads.js';
import type { Store } from '../core/store.js';
import { LeadWebhookDispatcher } from '../tools/leads/lead-webhook-dispatcher.js';

export interface LeadsWiring {
  settingsFor: (businessId: string) => LeadSettings | null;
  /** Pushes lead events to the CRM webhook; started and stopped with Parley. */
  dispatcher: LeadWebhookDispatcher;
}

/**
 * Wires the CRM push of leads. `save_lead` itself is one of the business tools
 * (`start-business-tools.ts`), which also owns each business's lead settings.
 */
export function wireLeads(input: {
  store: Store;
  clock: Clock;
  settingsFor: (businessId: string) => LeadSettings | null;
  pollMs: number;
  fetch?: typeof fetch;
  onError?: (error: unknown) => void;
}): LeadsWiring {
  const { settingsFor } = input;
  return {
    settingsFor,
    dispatcher: new LeadWebhookDispatcher(
      {
        store: input.store,
        clock: input.clock,
        webhookFor: (businessId) => settingsFor(businessId)?.webhook ?? null,
        ...(input.fetch ? { fetch: input.fetch } : {}),
      },
      {
        pollMs: input.pollMs,
        leaseMs: 60_000,
        batchSize: 20,
        // Retries spread over about a day (capped at 3 h apart) before a delivery shows as failed.
        maxAttempts: 24,
        backoffBaseMs: 1_000,
        backoffMaxMs: 3 * 60 * 60_000,
        timeoutMs: 10_000,
        ...(input.onError ? { onError: input.onError } : {}),
      },
    ),
  };
}
