import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, app secret)>`. The HMAC is
 * over the bytes exactly as received: Meta signs an escaped-unicode serialisation, so re-encoding
 * parsed JSON would not match. Any of `secrets` may have signed it (one Meta app per business).
 */
export function isValidWebhookSignature(
  rawBody: Uint8Array,
  header: string | undefined,
  secrets: readonly string[],
): boolean {
  const match = header === undefined ? null : HEADER.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!, 'hex');
  let valid = false;
  // Every secret is tried, so the time taken does not tell which one (or whether any) matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/** The header value Meta would send for this body; for stand-ins, simulators and tests. */
export function signWebhookBody(rawBody: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Meta's verification request (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`):
 * the challenge to echo back when the token is one of ours, else null.
 */
export function verificationChallenge(
  query: Record<string, unknown>,
  verifyTokens: readonly string[],
): string | null {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') {
    return null;
  }
  const given = Buffer.from(token);
  let matched = false;
  for (const verifyToken of verifyTokens) {
    const expected = Buffer.from(verifyToken);
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? challenge : null;
}
