import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ParleyError, notFound } from '../../core/errors.js';
import type { MessagePart } from '../../core/message.js';
import type { Store } from '../../core/store.js';
import { receiveCustomerMessage } from '../../inbox/receive-customer-message.js';
import type { ApiRegistry } from '../api-route.js';
import { apiVisitorMessage, errorSchema } from '../api-shapes.js';
import { randomToken, signVisitorToken, verifyVisitorToken } from '../auth/tokens.js';
import type { ServerDependencies } from '../server-dependencies.js';

export const MAX_WIDGET_MESSAGE_LENGTH = 2000;
const businessParams = z.object({
  businessId: z.uuid({ message: 'must be a business id (a UUID)' }),
});

export interface Visitor {
  businessId: string;
  visitorId: string;
}

/** The visitor behind a widget request, from `Authorization: Bearer` or `?token=` (EventSource). */
export function authenticateVisitor(
  deps: Pick<ServerDependencies, 'visitorSecret'>,
  request: FastifyRequest,
  businessId: string,
): Visitor {
  const header = request.headers.authorization;
  const fromQuery = (request.query as { token?: unknown }).token;
  const token = header?.startsWith('Bearer ')
    ? header.slice(7).trim()
    : typeof fromQuery === 'string'
      ? fromQuery
      : null;
  const visitorId = token ? verifyVisitorToken(deps.visitorSecret, businessId, token) : null;
  if (!visitorId) {
    throw new ParleyError(
      'unauthorized',
      'The visitor token is missing or not valid for this business. Create a visitor first (POST /api/widget/:businessId/visitors).',
    );
  }
  return { businessId, visitorId };
}

export async function requireBusiness(store: Store, businessId: string) {
  const business = await store.businesses.getById(businessId);
  if (!business) throw notFound('Business');
  return business;
}

export function registerWidgetRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const { store } = deps;

  api.register(app, {
    method: 'POST',
    url: '/api/widget/:businessId/visitors',
    summary: 'Create a web chat visitor identity (kept by the widget across reloads)',
    tag: 'widget',
    auth: 'none',
    params: businessParams,
    responses: {
      201: {
        description: 'A new visitor',
        schema: z.object({ visitorId: z.string(), token: z.string() }),
      },
      404: { description: 'No such business', schema: errorSchema },
    },
    async handler({ params, reply }) {
      await requireBusiness(store, params.businessId);
      const visitorId = randomToken(16);
      return reply.code(201).send({
        visitorId,
        token: signVisitorToken(deps.visitorSecret, params.businessId, visitorId),
      });
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/widget/:businessId/config',
    summary: "The widget's settings for this business",
    tag: 'widget',
    auth: 'none',
    params: businessParams,
    responses: {
      200: {
        description: 'Settings',
        schema: z.object({ businessName: z.string(), greeting: z.string().nullable() }),
      },
      404: { description: 'No such business', schema: errorSchema },
    },
    async handler({ params }) {
      const business = await requireBusiness(store, params.businessId);
      return { businessName: business.name, greeting: deps.webChatFor(business.id).greeting };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/widget/:businessId/messages',
    summary: "The visitor's conversation history",
    tag: 'widget',
    auth: 'none',
    params: businessParams,
    query: z.object({
      after: z.coerce.number().int().min(0).optional(),
      token: z.string().optional(),
    }),
    responses: {
      200: {
        description: 'Messages, oldest first',
        schema: z.object({ messages: z.array(z.unknown()) }),
      },
    },
    async handler({ request, params, query }) {
      const visitor = authenticateVisitor(deps, request, params.businessId);
      const contact = await findVisitorContact(store, visitor);
      if (!contact) return { messages: [] };
      const messages = await store.messages.listForContact(visitor.businessId, contact.id, 'web', {
        afterSeq: query.after ?? 0,
      });
      return { messages: messages.map(apiVisitorMessage) };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/widget/:businessId/messages',
    summary: 'Send a visitor message (idempotent by clientMessageId)',
    tag: 'widget',
    auth: 'none',
    params: businessParams,
    body: z
      .object({
        clientMessageId: z.string().trim().min(8).max(100),
        text: z.string().trim().max(MAX_WIDGET_MESSAGE_LENGTH).optional(),
        choiceId: z.string().trim().min(1).max(200).optional(),
      })
      .refine((body) => (body.text ?? '') !== '' || body.choiceId !== undefined, {
        message: 'Send a text or a choiceId.',
      }),
    responses: {
      202: {
        description: 'Stored; the reply follows on the stream',
        schema: z.object({ message: z.unknown() }),
      },
      400: { description: 'Not valid', schema: errorSchema },
      401: { description: 'Bad visitor token', schema: errorSchema },
    },
    async handler({ request, params, body, reply }) {
      const visitor = authenticateVisitor(deps, request, params.businessId);
      await requireBusiness(store, params.businessId);
      const text = body.text ?? '';
      const parts: MessagePart[] = body.choiceId
        ? [{ type: 'choice-reply', choiceId: body.choiceId, title: text || body.choiceId }]
        : [{ type: 'text', text }];
      const received = await receiveCustomerMessage(deps, {
        businessId: visitor.businessId,
        channel: 'web',
        senderId: visitor.visitorId,
        parts,
        channelMessageId: `${visitor.visitorId}:${body.clientMessageId}`,
      });
      return reply.code(202).send({ message: apiVisitorMessage(received.message) });
    },
  });
}

/** The visitor's contact; null until they first write (reading never creates contacts). */
export function findVisitorContact(store: Store, visitor: Visitor) {
  return store.contacts.findByIdentity(visitor.businessId, {
    channel: 'web',
    externalId: visitor.visitorId,
  });
}
