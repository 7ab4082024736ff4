import type { Logger } from 'pino';
import { cartValueFromStore } from '../agent/handoff/cart-value.js';
import { createHandoffGuard, type HandoffGuard } from '../agent/handoff/handoff-guard.js';
import { createSmtpMailer } from '../channels/email/smtp-mailer.js';
import type { BusinessConfig } from '../config/business-config.js';
import { defaultHandoffPolicy } from '../config/handoff-config.js';
import type { Clock } from '../core/clock.js';
import type { HandoffPolicy, Mailer } from '../core/handoff.js';
import type { Store } from '../core/store.js';

export interface HandoffWiring {
  guard: HandoffGuard;
  /** The business file's policy (the console's edit, stored in the database, overrides it). */
  filePolicyFor(businessId: string): HandoffPolicy;
  policyFor(businessId: string): Promise<HandoffPolicy>;
}

/** Builds the handoff guard of the agent turn from the business file and the stored overrides. */
export function createHandoffWiring(input: {
  store: Store;
  clock: Clock;
  logger: Logger;
  config: BusinessConfig;
  primaryBusinessId: string;
  /** Replaces the SMTP mailer (tests). */
  mailer?: Mailer | null;
}): HandoffWiring {
  const { store, config } = input;
  const primaryPolicy =
    config.handoff?.policy ?? defaultHandoffPolicy(config.business.profile.currency);
  const filePolicyFor = (businessId: string): HandoffPolicy =>
    businessId === input.primaryBusinessId ? primaryPolicy : defaultHandoffPolicy('GBP');
  const policyFor = async (businessId: string): Promise<HandoffPolicy> =>
    (await store.handoffPolicies.get(businessId))?.policy ?? filePolicyFor(businessId);
  const smtp = config.handoff?.smtp ?? null;
  const mailer = input.mailer !== undefined ? input.mailer : smtp ? createSmtpMailer(smtp) : null;
  const guard = createHandoffGuard({
    store,
    clock: input.clock,
    policyFor,
    cartValue: cartValueFromStore(store),
    mailer,
    onError: (error) => input.logger.error({ err: error }, 'handoff notification failed'),
  });
  return { guard, filePolicyFor, policyFor };
}
