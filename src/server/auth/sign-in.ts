import { ParleyError } from '../../core/errors.js';
import type { Business } from '../../core/business.js';
import type { User } from '../../core/user.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { verifyPassword } from './passwords.js';
import { randomToken, sha256 } from './tokens.js';

export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 20;

export interface SignedIn {
  user: User;
  business: Business;
  sessionToken: string;
  expiresAt: Date;
}

/**
 * Checks the password and opens a session. Failed attempts are throttled per account and per
 * client address over a sliding window, so guessing is slow even across many accounts.
 */
export async function signIn(
  deps: Pick<ServerDependencies, 'store' | 'clock'>,
  input: { email: string; password: string; clientAddress: string },
): Promise<SignedIn> {
  const { store, clock } = deps;
  const now = clock.now();
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const accountKey = `account:${input.email.trim().toLowerCase()}`;
  const addressKey = `address:${input.clientAddress}`;
  const [accountFailures, addressFailures] = await Promise.all([
    store.loginThrottle.countFailures(accountKey, since),
    store.loginThrottle.countFailures(addressKey, since),
  ]);
  if (accountFailures >= MAX_FAILURES_PER_ACCOUNT || addressFailures >= MAX_FAILURES_PER_ADDRESS) {
    throw new ParleyError(
      'rate_limited',
      'Too many failed sign-in attempts. Wait 15 minutes and try again, or ask the owner to reset your password with `parley user create`.',
    );
  }
  const found = await store.users.findByEmail(input.email);
  const valid = await verifyPassword(found?.passwordHash ?? null, input.password);
  if (!found || !valid) {
    await store.loginThrottle.recordFailure(accountKey, now);
    await store.loginThrottle.recordFailure(addressKey, now);
    throw new ParleyError('unauthorized', 'The e-mail or password is wrong.');
  }
  await store.loginThrottle.clear(accountKey);
  const business = await store.businesses.getById(found.businessId);
  if (!business) throw new ParleyError('unauthorized', 'The e-mail or password is wrong.');
  const sessionToken = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await store.sessions.create({
    userId: found.id,
    businessId: found.businessId,
    tokenHash: sha256(sessionToken),
    expiresAt,
  });
  const { passwordHash: _secret, ...user } = found;
  return { user, business, sessionToken, expiresAt };
}
