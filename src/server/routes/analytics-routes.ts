import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { conversationAnalytics } from '../../inbox/conversation-analytics.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import type { ServerDependencies } from '../server-dependencies.js';

const day = z
  .string({ message: 'is required, as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD, such as 2026-03-01' });

const median = z.number().nullable();

const analyticsSchema = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  days: z.array(
    z.object({ date: z.string(), byChannel: z.record(z.string(), z.number()), total: z.number() }),
  ),
  channels: z.array(z.string()),
  total: z.number(),
  resolvedByAgent: z.number(),
  handedOff: z.number(),
  handedOffByCause: z.record(z.string(), z.number()),
  medianFirstResponseSeconds: median,
  medianFirstResponseAgentSeconds: median,
  medianFirstResponsePersonSeconds: median,
  medianResolutionSeconds: median,
});

/** The Analytics page's figures. */
export function registerAnalyticsRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  api.register(app, {
    method: 'GET',
    url: '/api/analytics',
    summary:
      'Conversations opened per local day by channel, resolved by the agent vs handed off (by trigger), median first response and time to resolution',
    tag: 'analytics',
    auth: 'member',
    query: z.object({ from: day, to: day }),
    responses: {
      200: {
        description:
          'Figures for conversations opened from `from` to `to` (inclusive, days in the business time zone); medians in seconds, null when there is none',
        schema: analyticsSchema,
      },
      400: {
        description: 'A date is missing or not a date, from is after to, or more than 366 days',
        schema: errorSchema,
      },
    },
    async handler({ principal, query }) {
      return conversationAnalytics(
        { store: deps.store },
        { businessId: principal.businessId, from: query.from, to: query.to },
      );
    },
  });
}
