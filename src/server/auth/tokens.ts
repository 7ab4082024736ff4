import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random, URL-safe secret of `bytes` bytes. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Stored in place of session tokens and API keys: a leaked table must not leak credentials. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Visitor tokens let a web chat visitor read only their own conversation. Stateless:
 * `v1.<visitorId>.<HMAC(secret, businessId:visitorId)>`, checked in constant time.
 */
export function signVisitorToken(secret: string, businessId: string, visitorId: string): string {
  return `v1.${visitorId}.${visitorMac(secret, businessId, visitorId)}`;
}

export function verifyVisitorToken(
  secret: string,
  businessId: string,
  token: string,
): string | null {
  const [version, visitorId, mac] = token.split('.');
  if (version !== 'v1' || !visitorId || !mac || !/^[A-Za-z0-9_-]{8,64}$/.test(visitorId))
    return null;
  const expected = Buffer.from(visitorMac(secret, businessId, visitorId));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? visitorId : null;
}

function visitorMac(secret: string, businessId: string, visitorId: string): string {
  return createHmac('sha256', secret).update(`${businessId}:${visitorId}`).digest('base64url');
}
