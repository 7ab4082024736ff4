import { z } from 'zod';
import { httpUrl, origin, requiredText } from './field-schemas.js';

/** Stripe Checkout for the business's own Stripe account. */
export interface PaymentSettings {
  provider: 'stripe';
  secretKey: string;
  webhookSecret: string;
  apiBaseUrl: string;
  checkoutOrigin: string;
  successUrl: string;
  cancelUrl: string;
}

/** The business-tool sections of the business file (orders, payments, links). */
export interface BusinessToolsConfig {
  /** Null: orders are placed without a payment link. */
  payments: PaymentSettings | null;
  /** Sites the agent may link to besides the business's website and payment pages. */
  links: { allowed: string[] };
}

const paymentsSection = z.strictObject({
  provider: z.literal('stripe', { error: 'Only stripe is supported as a payment provider.' }),
  secretKey: requiredText,
  webhookSecret: requiredText,
  apiBaseUrl: httpUrl('https://api.stripe.com').default('https://api.stripe.com'),
  checkoutOrigin: origin.default('https://checkout.stripe.com'),
  successUrl: httpUrl('https://shop.example/thank-you'),
  cancelUrl: httpUrl('https://shop.example/basket'),
});

const linksSection = z.strictObject({ allowed: z.array(origin).default([]) });

/** Keys added to the business file's schema (see business-config.ts). */
export const businessToolsSections = {
  payments: paymentsSection.nullish(),
  links: linksSection.prefault({}),
};

interface FileSections {
  payments?: z.output<typeof paymentsSection> | null | undefined;
  links: z.output<typeof linksSection>;
}

export function toBusinessToolsConfig(file: FileSections): BusinessToolsConfig {
  return {
    payments: file.payments
      ? {
          ...file.payments,
          apiBaseUrl: file.payments.apiBaseUrl.replace(/\/+$/, ''),
        }
      : null,
    links: { allowed: file.links.allowed },
  };
}
