import { findAddresses } from './find-addresses.js';
import { findCards } from './find-cards.js';
import { findEmails } from './find-emails.js';
import { findIbans } from './find-ibans.js';
import { findNames } from './find-names.js';
import { findNationalIds } from './find-national-ids.js';
import { findPhones } from './find-phones.js';
import type { PiiContext, PiiFinding, PiiType } from './pii-types.js';

// When two findings overlap, the one with a checksum wins over a shape, and a shape over a name.
const PRIORITY: Record<PiiType, number> = {
  email: 7,
  iban: 6,
  card: 6,
  national_id: 5,
  phone: 4,
  address: 3,
  postcode: 2,
  name: 1,
};

/**
 * Every piece of personal data the deterministic recognisers find in `text`, sorted by position,
 * without overlaps. Pure and synchronous: no model, no network. A caller that already holds
 * `text.toLowerCase()` passes it as `lowerText` to save lower-casing the message twice.
 */
export function detectPii(
  text: string,
  context: PiiContext = {},
  lowerText?: string,
): PiiFinding[] {
  const found: PiiFinding[] = [];
  findEmails(text, found);
  // Digits are what every number-shaped recogniser needs; most chat messages have few.
  if (/\d/.test(text)) {
    const lower = lowerText ?? text.toLowerCase();
    findIbans(text, found);
    findCards(text, lower, found);
    findNationalIds(text, lower, found);
    findPhones(text, lower, context.defaultCountry, found);
    findAddresses(text, lower, found);
  }
  if (context.knownNames && context.knownNames.length > 0)
    findNames(text, context.knownNames, found);
  return resolveOverlaps(found);
}

function resolveOverlaps(found: PiiFinding[]): PiiFinding[] {
  if (found.length < 2) return found;
  // Best first: higher priority, then longer; keep each unless it overlaps one already kept.
  const ranked = [...found].sort(
    (a, b) => PRIORITY[b.type] - PRIORITY[a.type] || b.end - b.start - (a.end - a.start),
  );
  const kept: PiiFinding[] = [];
  for (const finding of ranked) {
    if (kept.every((other) => finding.end <= other.start || finding.start >= other.end)) {
      kept.push(finding);
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}
