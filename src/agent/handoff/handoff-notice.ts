import type { Business } from '../../core/business.js';
import type { HandoffAction } from '../../core/handoff.js';
import { openingStatus } from './opening-hours-status.js';

/** What the customer is told, honestly, about what happens next. */
export function composeHandoffNotice(business: Business, action: HandoffAction, now: Date): string {
  const status = openingStatus(business.profile, now);
  const reopening = status.nextOpening
    ? ` We open again ${status.nextOpening} (${business.profile.timezone}).`
    : '';
  if (action === 'callback') {
    const closed = status.open ? '' : `We're closed right now.${reopening} `;
    return `${closed}Please leave your name, phone number and what you need here, and a person from ${business.name} will get back to you.`;
  }
  if (!status.open) {
    return `I've passed this to a person from ${business.name}. We're closed right now, so they'll reply here when we're back.${reopening}`;
  }
  return `I've asked a person from ${business.name} to take over. They'll reply here as soon as they can.`;
}
