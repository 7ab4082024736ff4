import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiRegistry } from '../api-route.js';
import type { ServerDependencies } from '../server-dependencies.js';

export function registerHealthRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  api.register(app, {
    method: 'GET',
    url: '/healthz',
    summary: 'Liveness: the process is up',
    tag: 'health',
    auth: 'none',
    responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
    handler: () => Promise.resolve({ status: 'ok' as const }),
  });

  api.register(app, {
    method: 'GET',
    url: '/readyz',
    summary: 'Readiness: the database answers and the workers run',
    tag: 'health',
    auth: 'none',
    responses: {
      200: {
        description: 'Ready',
        schema: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) }),
      },
      503: { description: 'Not ready' },
    },
    async handler({ reply }) {
      const { ok, checks } = await deps.ready();
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks });
    },
  });
}
