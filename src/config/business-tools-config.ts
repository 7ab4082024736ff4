import { z } from 'zod';
import { DEFAULT_APPOINTMENT_SETTINGS, type AppointmentSettings } from '../core/appointments.js';
import type { LeadSettings } from '../core/leads.js';
import { httpUrl, origin, requiredText, slug, wholeNumber } from './field-schemas.js';
import { leadsSection, toLeadSettings } from './leads-config.js';

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
  /** Staff, holidays, notice and horizon for `find_slots` and bookings. */
  appointments: AppointmentSettings;
  /** Lead qualification (leads-config.ts); null: the business qualifies no leads. */
  leads?: LeadSettings | null;
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

const appointmentsSection = z.strictObject({
  staff: z
    .array(
      z.strictObject({
        slug: slug('staff slug', 'sam', 60),
        name: requiredText,
        // Service slugs this person does; left out: every service.
        services: z.array(slug('service slug', 'basic-tune-up', 100)).default([]),
      }),
    )
    .min(1)
    .default(DEFAULT_APPOINTMENT_SETTINGS.staff),
  holidays: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write holidays as dates, such as 2026-12-25.'))
    .default([]),
  minimumNoticeMinutes: wholeNumber(0, 60 * 24 * 14).default(
    DEFAULT_APPOINTMENT_SETTINGS.minimumNoticeMinutes,
  ),
  horizonDays: wholeNumber(1, 366).default(DEFAULT_APPOINTMENT_SETTINGS.horizonDays),
  slotStepMinutes: wholeNumber(5, 240).default(DEFAULT_APPOINTMENT_SETTINGS.slotStepMinutes),
  // Minutes before each appointment a reminder goes out; [] turns reminders off.
  reminderLeadMinutes: z
    .array(wholeNumber(5, 60 * 24 * 14))
    .max(5)
    .default([24 * 60, 2 * 60]),
});

/** Keys added to the business file's schema (see business-config.ts). */
export const businessToolsSections = {
  payments: paymentsSection.nullish(),
  links: linksSection.prefault({}),
  appointments: appointmentsSection.prefault({}),
  leads: leadsSection.optional(),
};

interface FileSections {
  payments?: z.output<typeof paymentsSection> | null | undefined;
  links: z.output<typeof linksSection>;
  appointments: z.output<typeof appointmentsSection>;
  leads?: z.output<typeof leadsSection> | undefined;
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
    appointments: file.appointments,
    leads: file.leads ? toLeadSettings(file.leads) : null,
  };
}
