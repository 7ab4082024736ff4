import { ParleyError } from '../core/errors.js';

/** What a canned reply may mention; `{{contact.name | there}}` gives a fallback for a blank. */
export const CANNED_REPLY_PLACEHOLDERS = [
  'contact.name',
  'contact.firstName',
  'contact.phone',
  'contact.email',
  'business.name',
  'user.name',
  'user.firstName',
] as const;

export type CannedReplyPlaceholder = (typeof CANNED_REPLY_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g;

export interface CannedReplyValues {
  contact: { name: string | null; phone: string | null; email: string | null } | null;
  businessName: string;
  userName: string | null;
}

/** The placeholders a body uses that Parley does not know (empty: all good). */
export function unknownPlaceholders(body: string): string[] {
  const known = new Set<string>(CANNED_REPLY_PLACEHOLDERS);
  return [...body.matchAll(PLACEHOLDER)]
    .map((match) => match[1]!)
    .filter((name) => !known.has(name));
}

/** Throws a message naming each unknown placeholder and the ones that exist. */
export function assertKnownPlaceholders(body: string): void {
  const unknown = unknownPlaceholders(body);
  if (unknown.length === 0) return;
  throw new ParleyError(
    'validation_failed',
    `The reply uses ${unknown.map((name) => `{{${name}}}`).join(', ')}, which Parley cannot fill. Use ${CANNED_REPLY_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ')}; add a fallback for a blank value like {{contact.name | there}}.`,
    { issues: [{ path: 'body.body', message: `unknown placeholder ${unknown[0]}` }] },
  );
}

/** The body with its placeholders filled in; a blank value takes its fallback, or nothing. */
export function fillCannedReply(body: string, values: CannedReplyValues): string {
  const lookup: Record<CannedReplyPlaceholder, string | null> = {
    'contact.name': values.contact?.name ?? null,
    'contact.firstName': firstWord(values.contact?.name ?? null),
    'contact.phone': values.contact?.phone ?? null,
    'contact.email': values.contact?.email ?? null,
    'business.name': values.businessName,
    'user.name': values.userName,
    'user.firstName': firstWord(values.userName),
  };
  return body.replace(PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
    if (!(name in lookup)) return whole;
    const value = lookup[name as CannedReplyPlaceholder]?.trim();
    return value ? value : (fallback ?? '');
  });
}

function firstWord(name: string | null): string | null {
  return name?.trim().split(/\s+/)[0] ?? null;
}
