import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { ParleyError } from '../../core/errors.js';
import type { Store } from '../../core/store.js';
import { API_KEY_PREFIX } from '../auth/authenticate.js';
import { sha256 } from '../auth/tokens.js';

const TTL_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * API-key authentication for the OpenAI-compatible endpoint, where it runs on every model call:
 * a key's lookup is kept for 5 s and its last-used time written at most once a minute, without
 * waiting for it, so the gateway adds no database round trip per request. A revoked key stops
 * working within 5 s.
 */
export function createApiKeyCache(deps: { store: Store; clock: Clock }) {
  const cache = new Map<string, { businessId: string; keyId: string; until: number }>();
  const touched = new Map<string, number>();
  return async function authenticateApiKey(
    request: FastifyRequest,
  ): Promise<{ businessId: string; apiKeyId: string }> {
    const header = request.headers.authorization;
    if (!header?.startsWith(`Bearer ${API_KEY_PREFIX}`)) {
      throw new ParleyError(
        'unauthorized',
        'Send a Parley API key as "Authorization: Bearer pk_…" (create one in the console under API keys).',
      );
    }
    const hash = sha256(header.slice('Bearer '.length).trim());
    const now = deps.clock.now().getTime();
    let hit = cache.get(hash);
    if (!hit || hit.until < now) {
      const key = await deps.store.apiKeys.findActiveByHash(hash);
      if (!key) {
        cache.delete(hash);
        throw new ParleyError(
          'unauthorized',
          'This API key is not valid or was revoked. Create a new one in the console.',
        );
      }
      hit = { businessId: key.businessId, keyId: key.id, until: now + TTL_MS };
      if (cache.size > 10_000) cache.clear();
      cache.set(hash, hit);
    }
    if ((touched.get(hit.keyId) ?? 0) + TOUCH_EVERY_MS < now) {
      touched.set(hit.keyId, now);
      // Off the request path: the last-used time is informative, and a failed write of it must
      // not fail a model call. It is tried again a minute later.
      void deps.store.apiKeys
        .touch(hit.keyId, new Date(now))
        .catch(() => touched.delete(hit.keyId));
    }
    return { businessId: hit.businessId, apiKeyId: hit.keyId };
  };
}
