import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of a signed lead delivery (documented in docs/leads.md). */
export const LEAD_WEBHOOK_HEADERS = {
  signature: 'x-parley-signature',
  timestamp: 'x-parley-timestamp',
  event: 'x-parley-event',
  delivery: 'x-parley-delivery',
} as const;

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`: the timestamp is signed with the body,
 * so a receiver that rejects old timestamps cannot be fed a captured request again.
 */
export function signLeadWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The receiver's check, as a CRM would write it: the signature matches and the timestamp is
 * within `toleranceSeconds` of now.
 */
export function verifyLeadWebhook(input: {
  secret: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!Number.isInteger(timestamp) || input.signature === undefined) return false;
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signLeadWebhook(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
