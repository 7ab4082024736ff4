import type { BusinessConfig } from '../config/business-config.js';
import type { AgentTool } from '../core/agent-tool.js';
import type { Clock } from '../core/clock.js';
import type { LeadSettings } from '../core/leads.js';
import type { Store } from '../core/store.js';
import { LeadWebhookDispatcher } from '../tools/leads/lead-webhook-dispatcher.js';
import { createLeadTools } from '../tools/leads/save-lead.js';

export interface LeadsWiring {
  /** `save_lead`, when the business file has a `leads:` section. */
  tools: readonly AgentTool[];
  settingsFor: (businessId: string) => LeadSettings | null;
  /** Pushes lead events to the CRM webhook; started and stopped with Parley. */
  dispatcher: LeadWebhookDispatcher;
}

/** Wires lead qualification for the business Parley was started for (others qualify none). */
export function wireLeads(input: {
  store: Store;
  clock: Clock;
  businessId: string;
  config: BusinessConfig;
  pollMs: number;
  fetch?: typeof fetch;
  onError?: (error: unknown) => void;
}): LeadsWiring {
  const settings = input.config.businessTools?.leads ?? null;
  const settingsFor = (businessId: string) => (businessId === input.businessId ? settings : null);
  return {
    tools: settings ? createLeadTools(settingsFor) : [],
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
