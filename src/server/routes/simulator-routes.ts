import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChannelSimulator } from '../../channels/meta/stand-in/channel-simulator.js';
import { notFound } from '../../core/errors.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';

const channelParams = z.object({ channel: z.enum(['whatsapp', 'messenger', 'instagram']) });
const customerId = z
  .string()
  .trim()
  .regex(/^\d{6,20}$/, 'must be digits: a phone number with its country code, or a scoped id');

/**
 * The console's channel simulator (`PARLEY_SIMULATOR=true`): write as a customer, read what
 * Parley sends. Messages go through Parley's real webhook route, signed like Meta's.
 */
export function registerSimulatorRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  simulator: ChannelSimulator,
): void {
  simulator.connect(async (channel, rawBody, signature) => {
    const response = await app.inject({
      method: 'POST',
      url: `/webhooks/${channel}`,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      payload: rawBody,
    });
    return response.statusCode;
  });
  const ownBusiness = (businessId: string) => {
    if (businessId !== simulator.businessId) throw notFound('Simulator');
  };

  api.register(app, {
    method: 'GET',
    url: '/api/simulator',
    summary: 'The channels the simulator can write on, with their account ids',
    tag: 'simulator',
    auth: 'member',
    responses: {
      200: { description: 'Channels' },
      404: { description: 'Off', schema: errorSchema },
    },
    handler({ principal }) {
      ownBusiness(principal.businessId);
      return Promise.resolve({ channels: simulator.channels() });
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/simulator/:channel/messages',
    summary: 'Write as a customer: a text, or a tap on a choice Parley offered',
    tag: 'simulator',
    auth: 'member',
    params: channelParams,
    body: z
      .object({
        customer: z.object({ id: customerId, name: z.string().trim().min(1).max(80) }),
        text: z.string().trim().min(1).max(4096).optional(),
        choice: z
          .object({ id: z.string().min(1).max(256), title: z.string().min(1).max(80) })
          .optional(),
      })
      .refine((body) => (body.text === undefined) !== (body.choice === undefined), {
        message: 'Send a text or a choice, not both.',
      }),
    responses: {
      202: { description: 'Posted to Parley as a signed webhook' },
      400: { description: 'Not valid', schema: errorSchema },
    },
    async handler({ principal, params, body, reply }) {
      ownBusiness(principal.businessId);
      const result = await simulator.write(
        params.channel,
        body.customer,
        body.choice
          ? { kind: 'choice', id: body.choice.id, title: body.choice.title }
          : { kind: 'text', text: body.text ?? '' },
      );
      return reply.code(202).send({ messageId: result.messageId, webhookStatus: result.status });
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/simulator/:channel/transcript',
    summary: "The simulated customer's conversation: their messages and what Parley sent",
    tag: 'simulator',
    auth: 'member',
    params: channelParams,
    query: z.object({ customerId }),
    responses: { 200: { description: 'Oldest first' } },
    handler({ principal, params, query }) {
      ownBusiness(principal.businessId);
      return Promise.resolve({ entries: simulator.transcript(params.channel, query.customerId) });
    },
  });
}
