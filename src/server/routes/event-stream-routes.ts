import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiRegistry } from '../api-route.js';
import { apiVisitorMessage } from '../api-shapes.js';
import { openEventStream } from '../sse.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { authenticateVisitor, findVisitorContact, requireBusiness } from './widget-routes.js';

/**
 * Sequence numbers are taken when a row is inserted but become visible when its transaction
 * commits, so on PostgreSQL a higher seq can appear before a lower one. The stream therefore also
 * re-reads messages created in this recent window and skips those it already sent.
 */
const LATE_COMMIT_WINDOW_MS = 10_000;

export function registerEventStreamRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const { store, live } = deps;

  api.register(app, {
    method: 'GET',
    url: '/api/events',
    summary:
      'Live events of the business (text/event-stream): conversation-updated, message-created',
    tag: 'conversations',
    auth: 'member',
    responses: { 200: { description: 'An event stream' } },
    async handler({ request, reply, principal }) {
      const stream = openEventStream(request, reply);
      // A signed-in user with an open stream is online (round-robin assignment, the team page).
      const leave =
        principal.kind === 'user'
          ? deps.presence?.connect(principal.businessId, principal.userId)
          : undefined;
      const unsubscribe = live.subscribe((event) => {
        if (event.businessId !== principal.businessId) return;
        if (event.type === 'conversation-updated') {
          stream.send({
            event: event.type,
            data: { conversationId: event.conversationId, state: event.state },
          });
        } else if (event.type === 'message-created') {
          stream.send({
            event: event.type,
            data: { conversationId: event.conversationId, seq: event.seq },
          });
        } else if (event.type === 'message-updated') {
          stream.send({
            event: event.type,
            data: { conversationId: event.conversationId, messageId: event.messageId },
          });
        }
      });
      await stream.closed;
      unsubscribe();
      leave?.();
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/widget/:businessId/stream',
    summary: "The visitor's messages, live (text/event-stream; resumes after Last-Event-ID)",
    tag: 'widget',
    auth: 'none',
    params: z.object({ businessId: z.uuid() }),
    query: z.object({ token: z.string(), after: z.coerce.number().int().min(0).optional() }),
    responses: { 200: { description: 'An event stream of `message` events' } },
    async handler({ request, reply, params, query }) {
      const visitor = authenticateVisitor(deps, request, params.businessId);
      const business = await requireBusiness(store, params.businessId);
      const lastEventId = Number(request.headers['last-event-id']);
      let cursor =
        Number.isFinite(lastEventId) && lastEventId > 0 ? lastEventId : (query.after ?? 0);
      // The client has everything up to here: the late-commit window must not send it again.
      const resumedAfter = cursor;
      const origin = request.headers.origin;
      const stream = openEventStream(
        request,
        reply,
        corsHeaders(deps.webChatFor(business.id).allowedOrigins, origin),
      );
      const sent = new Set<string>();
      let contactId = (await findVisitorContact(store, visitor))?.id ?? null;
      let refreshing: Promise<void> | null = null;
      let again = false;

      const refresh = async () => {
        contactId ??= (await findVisitorContact(store, visitor))?.id ?? null;
        if (!contactId || stream.isClosed()) return;
        const messages = await store.messages.listForContact(business.id, contactId, 'web', {
          afterSeq: cursor,
          since: new Date(deps.clock.now().getTime() - LATE_COMMIT_WINDOW_MS),
        });
        for (const message of messages) {
          if (message.seq <= resumedAfter || sent.has(message.id)) continue;
          sent.add(message.id);
          cursor = Math.max(cursor, message.seq);
          stream.send({ event: 'message', id: message.seq, data: apiVisitorMessage(message) });
        }
      };
      // Refreshes never overlap; an event during one schedules exactly one more.
      const schedule = () => {
        if (refreshing) {
          again = true;
          return;
        }
        refreshing = refresh()
          .catch((error: unknown) =>
            request.log.warn({ err: error }, 'widget stream refresh failed'),
          )
          .finally(() => {
            refreshing = null;
            if (again) {
              again = false;
              schedule();
            }
          });
      };
      const unsubscribe = live.subscribe((event) => {
        if (event.businessId === business.id && event.type === 'message-created') schedule();
      });
      schedule();
      await stream.closed;
      unsubscribe();
    },
  });
}

/** CORS headers for a widget response: the configured origins, or any origin when none are set. */
export function corsHeaders(
  allowedOrigins: readonly string[],
  origin: string | undefined,
): Record<string, string> {
  if (allowedOrigins.length === 0) return { 'access-control-allow-origin': '*' };
  if (origin && allowedOrigins.includes(origin))
    return { 'access-control-allow-origin': origin, vary: 'Origin' };
  return {};
}
