import type { BusinessConfig } from '../../../src/config/business-config.js';
import { defaultHandoffPolicy } from '../../../src/config/handoff-config.js';
import type { HandoffTrigger } from '../../../src/core/handoff.js';

export const ZENDESK = {
  email: 'parley@northside.example',
  apiToken: 'zendesk-api-token-1',
  webhookSecret: 'zendesk-webhook-secret-0123456789',
};

/** The business file with a `zendesk:` section, and `zendesk` in the notify of `ticketTriggers`. */
export function withZendesk(
  config: BusinessConfig,
  baseUrl: string,
  ticketTriggers: readonly HandoffTrigger[] = ['personRequest'],
): BusinessConfig {
  const policy = config.handoff?.policy ?? defaultHandoffPolicy(config.business.profile.currency);
  const triggers = { ...policy.triggers };
  for (const key of ticketTriggers) {
    triggers[key] = { ...triggers[key], notify: [...triggers[key].notify, 'zendesk'] } as never;
  }
  return {
    ...config,
    handoff: { policy: { ...policy, triggers }, smtp: config.handoff?.smtp ?? null },
    zendesk: { baseUrl, ...ZENDESK },
  };
}
