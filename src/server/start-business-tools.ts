import { createTurnGuard, type TurnGuard } from '../agent/turn-guard.js';
import { hostsOf } from '../agent/grounding/check-links.js';
import type { BusinessConfig } from '../config/business-config.js';
import type { AgentTool } from '../core/agent-tool.js';
import { DEFAULT_APPOINTMENT_SETTINGS } from '../core/appointments.js';
import type { Clock } from '../core/clock.js';
import type { PaymentProvider } from '../core/payments.js';
import type { Store } from '../core/store.js';
import type { LeadSettings } from '../core/leads.js';
import { createBusinessTools } from '../tools/business-tools.js';
import { createStripeCheckout } from '../tools/payments/stripe-checkout.js';

export interface BusinessToolsWiring {
  /** Every business tool the agent gets, `save_lead` included when the file has `leads:`. */
  tools: readonly AgentTool[];
  /** The lead qualification schema of a business (null: it qualifies no leads). */
  leadSettingsFor: (businessId: string) => LeadSettings | null;
  guard: TurnGuard;
  paymentsFor(businessId: string): PaymentProvider | null;
}

/**
 * Wires the business tools for the business Parley was started for: its payment provider, the
 * hosts its agent may link to, its booking and lead settings, and the turn guard (promises 1 and
 * 2). Other businesses get no payment provider, qualify no leads and may link to nothing.
 */
export function wireBusinessTools(input: {
  store: Store;
  clock: Clock;
  businessId: string;
  config: BusinessConfig;
  paymentFetch?: typeof fetch;
  /** Where customers reach Parley, for links to appointment invites. */
  publicUrl?: string;
}): BusinessToolsWiring {
  const { store, clock, businessId, config } = input;
  const settings = config.businessTools?.payments ?? null;
  const payments = settings
    ? createStripeCheckout({
        ...settings,
        clock,
        ...(input.paymentFetch ? { fetch: input.paymentFetch } : {}),
      })
    : null;
  const allowedHosts = hostsOf([
    ...(config.business.profile.website ? [config.business.profile.website] : []),
    ...(config.businessTools?.links.allowed ?? []),
  ]);
  const paymentHosts = hostsOf(payments?.linkOrigins ?? []);
  const paymentsFor = (id: string) => (id === businessId ? payments : null);
  const appointmentSettings = config.businessTools?.appointments ?? DEFAULT_APPOINTMENT_SETTINGS;
  const leadSettings = config.businessTools?.leads ?? null;
  const leadSettingsFor = (id: string) => (id === businessId ? leadSettings : null);
  return {
    tools: createBusinessTools({
      appointmentsFor: (id) =>
        id === businessId ? appointmentSettings : DEFAULT_APPOINTMENT_SETTINGS,
      ...(leadSettings ? { leadsFor: leadSettingsFor } : {}),
    }),
    leadSettingsFor,
    paymentsFor,
    guard: createTurnGuard({
      store,
      clock,
      paymentsFor,
      ...(input.publicUrl ? { publicUrl: input.publicUrl } : {}),
      allowedLinkHostsFor: (id) => (id === businessId ? allowedHosts : []),
      paymentLinkHostsFor: (id) => (id === businessId ? paymentHosts : []),
    }),
  };
}
