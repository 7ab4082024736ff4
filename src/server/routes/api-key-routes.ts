import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import { API_KEY_PREFIX } from '../auth/authenticate.js';
import { randomToken, sha256 } from '../auth/tokens.js';
import type { ServerDependencies } from '../server-dependencies.js';

const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

/** Creates an API key; the secret is returned once and only its hash is stored. */
export async function createApiKey(
  deps: Pick<ServerDependencies, 'store'>,
  input: { businessId: string; name: string },
) {
  const secret = `${API_KEY_PREFIX}${randomToken(24)}`;
  const apiKey = await deps.store.apiKeys.create({
    businessId: input.businessId,
    name: input.name,
    prefix: secret.slice(0, 10),
    keyHash: sha256(secret),
  });
  return { apiKey, secret };
}

export function registerApiKeyRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const show = (key: {
    id: string;
    name: string;
    prefix: string;
    createdAt: Date;
    lastUsedAt: Date | null;
    revokedAt: Date | null;
  }) => ({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  });

  api.register(app, {
    method: 'GET',
    url: '/api/api-keys',
    summary: "The business's API keys (never their secrets)",
    tag: 'api-keys',
    auth: 'owner',
    responses: {
      200: { description: 'Keys', schema: z.object({ apiKeys: z.array(apiKeySchema) }) },
    },
    async handler({ principal }) {
      return { apiKeys: (await deps.store.apiKeys.list(principal.businessId)).map(show) };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/api-keys',
    summary: 'Create an API key for machine access; the secret is shown only in this response',
    tag: 'api-keys',
    auth: 'owner',
    body: z.object({ name: z.string().trim().min(1).max(100) }),
    responses: {
      201: {
        description: 'Created',
        schema: z.object({ apiKey: apiKeySchema, secret: z.string() }),
      },
      403: { description: 'Only the owner can create keys', schema: errorSchema },
    },
    async handler({ principal, body, reply }) {
      const { apiKey, secret } = await createApiKey(deps, {
        businessId: principal.businessId,
        name: body.name,
      });
      return reply.code(201).send({ apiKey: show(apiKey), secret });
    },
  });

  api.register(app, {
    method: 'DELETE',
    url: '/api/api-keys/:id',
    summary: 'Revoke an API key',
    tag: 'api-keys',
    auth: 'owner',
    params: z.object({ id: z.uuid() }),
    responses: {
      204: { description: 'Revoked' },
      404: { description: 'No such key', schema: errorSchema },
    },
    async handler({ principal, params, reply }) {
      const revoked = await deps.store.apiKeys.revoke(
        principal.businessId,
        params.id,
        deps.clock.now(),
      );
      if (!revoked) throw notFound('API key');
      return reply.code(204).send();
    },
  });
}
