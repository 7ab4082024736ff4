import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { ParleyError } from '../../core/errors.js';
import type { RouteAuth } from '../api-route.js';
import type { ServerDependencies } from '../server-dependencies.js';
import type { Principal } from './principal.js';
import { sha256 } from './tokens.js';

export const SESSION_COOKIE = 'parley_session';
export const API_KEY_PREFIX = 'pk_';

/** Resolves the caller from the session cookie or an `Authorization: Bearer pk_…` API key. */
export function createAuthenticator(deps: Pick<ServerDependencies, 'store' | 'clock'>) {
  return async function authenticate(
    request: FastifyRequest,
    auth: RouteAuth,
  ): Promise<Principal | null> {
    if (auth === 'none') return null;
    const principal = await resolvePrincipal(deps, request);
    if (!principal) {
      throw new ParleyError(
        'unauthorized',
        'Sign in first, or send an API key as "Authorization: Bearer pk_…".',
      );
    }
    if (auth === 'owner' && principal.role !== 'owner') {
      throw new ParleyError('forbidden', 'Only the business owner can do this.');
    }
    return principal;
  };
}

async function resolvePrincipal(
  { store, clock }: Pick<ServerDependencies, 'store' | 'clock'>,
  request: FastifyRequest,
): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header?.startsWith(`Bearer ${API_KEY_PREFIX}`)) {
    const key = await store.apiKeys.findActiveByHash(sha256(header.slice('Bearer '.length).trim()));
    if (!key) return null;
    await store.apiKeys.touch(key.id, clock.now());
    return { kind: 'api_key', businessId: key.businessId, apiKeyId: key.id, role: 'owner' };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const tokenHash = sha256(token);
  const session = await store.sessions.findByTokenHash(tokenHash, clock.now());
  if (!session) return null;
  const user = await store.users.getById(session.businessId, session.userId);
  if (!user) return null;
  return {
    kind: 'user',
    businessId: user.businessId,
    userId: user.id,
    role: user.role,
    name: user.name,
    sessionTokenHash: tokenHash,
  };
}
