import type { Business } from '../../core/business.js';
import { formatMoney } from '../../core/money.js';
import { describeLocal } from '../../core/zoned-time.js';

/** What a proposed booking, move or cancellation carries until the customer confirms it. */
export interface AppointmentPayload extends Record<string, unknown> {
  appointmentId?: string;
  serviceSlug: string;
  serviceName: string;
  staffSlug: string;
  staffName: string;
  startsAt: string;
  endsAt: string;
  blockedUntil: string;
  priceMinor: number;
}

/** "Basic tune-up with the workshop, Thursday 3 December 2026, 09:00 (Europe/London)". */
export function describeAppointment(
  payload: Pick<AppointmentPayload, 'serviceName' | 'staffName' | 'startsAt'>,
  business: Business,
): string {
  const zone = business.profile.timezone;
  return `${payload.serviceName} with ${payload.staffName}, ${describeLocal(new Date(payload.startsAt), zone)} (${zone} time)`;
}

export function bookingSummary(
  kind: 'book' | 'reschedule' | 'cancel',
  payload: AppointmentPayload,
  business: Business,
  previousStart?: string,
): string {
  const what = describeAppointment(payload, business);
  const price = formatMoney(payload.priceMinor, business.profile.currency);
  switch (kind) {
    case 'book':
      return `Please confirm your booking:\n${what}\nPrice: ${price}\nTap Confirm (or reply "yes") to book it.`;
    case 'reschedule':
      return `Please confirm the new time:\n${what}\n(instead of ${describeLocal(new Date(previousStart!), business.profile.timezone)})\nTap Confirm (or reply "yes") to move it.`;
    case 'cancel':
      return `Please confirm you want to cancel:\n${what}\nTap the button (or reply "yes") to cancel it.`;
  }
}
