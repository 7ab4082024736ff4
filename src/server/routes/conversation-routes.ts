import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { changeConversationHolder } from '../../inbox/change-conversation-holder.js';
import type { Actor } from '../../inbox/inbox-dependencies.js';
import { MAX_REPLY_LENGTH, replyAsPerson } from '../../inbox/reply-as-person.js';
import type { ApiRegistry } from '../api-route.js';
import type { Conversation } from '../../core/conversation.js';
import { INBOX_VIEWS, type InboxView } from '../../core/inbox-store.js';
import { apiMessage, apiStep, errorSchema, messageSchema } from '../api-shapes.js';
import {
  apiInboxConversation,
  apiNote,
  inboxConversationSchema,
  noteSchema,
  viewCountsSchema,
} from './inbox-shapes.js';
import type { Principal } from '../auth/principal.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { apiHandoffDecision, handoffDecisionSchema } from './handoff-routes.js';

const idParams = z.object({ id: z.uuid({ message: 'must be a conversation id (a UUID)' }) });
const conversationResponse = { schema: z.object({ conversation: inboxConversationSchema }) };

const inboxQuerySchema = z.object({
  view: z.enum(INBOX_VIEWS as [InboxView, ...InboxView[]]).optional(),
  q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  channel: z.enum(['web', 'whatsapp', 'messenger', 'instagram']).optional(),
  tag: z.string().trim().max(40).optional(),
  state: z.enum(['agent', 'waiting_for_person', 'person', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user'
    ? { kind: 'user', userId: principal.userId, name: principal.name }
    : { kind: 'api_key', apiKeyId: principal.apiKeyId };
}

export function registerConversationRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const { store } = deps;

  async function withContact(businessId: string, conversation: Conversation) {
    const [inbox] = await inboxConversations(businessId, [conversation]);
    return inbox!;
  }

  async function inboxConversations(businessId: string, conversations: Conversation[]) {
    const [tags, contacts] = await Promise.all([
      store.conversationTags.forConversations(
        businessId,
        conversations.map((conversation) => conversation.id),
      ),
      Promise.all(
        conversations.map((conversation) =>
          store.contacts.getById(businessId, conversation.contactId),
        ),
      ),
    ]);
    return conversations.map((conversation, index) =>
      apiInboxConversation(conversation, contacts[index] ?? null, tags.get(conversation.id) ?? []),
    );
  }

  api.register(app, {
    method: 'GET',
    url: '/api/conversations',
    summary:
      "Conversations matching a view, search and filters (waiting first, then unread, then most recent), with every view's counts",
    tag: 'conversations',
    auth: 'member',
    query: inboxQuerySchema,
    responses: {
      200: {
        description: 'The list, and per view how many conversations match and how many are unread',
        schema: z.object({
          conversations: z.array(inboxConversationSchema),
          counts: viewCountsSchema,
        }),
      },
      400: { description: 'A filter is not valid', schema: errorSchema },
    },
    async handler({ principal, query }) {
      const viewerId = principal.kind === 'user' ? principal.userId : null;
      const filters = {
        search: query.q,
        channel: query.channel,
        tag: query.tag?.trim().toLowerCase(),
        state: query.state,
      };
      const [conversations, counts] = await Promise.all([
        store.inbox.search(principal.businessId, viewerId, {
          ...filters,
          view: query.view,
          limit: query.limit,
        }),
        store.inbox.countViews(principal.businessId, viewerId, filters),
      ]);
      return {
        conversations: await inboxConversations(principal.businessId, conversations),
        counts,
      };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/conversations/:id',
    summary: "A conversation with its messages and the agent's steps",
    tag: 'conversations',
    auth: 'member',
    params: idParams,
    responses: {
      200: {
        description: 'The thread',
        schema: z.object({
          conversation: inboxConversationSchema,
          messages: z.array(messageSchema),
          notes: z.array(noteSchema),
          steps: z.array(z.unknown()),
          decisions: z.array(handoffDecisionSchema),
        }),
      },
      404: { description: 'No such conversation in this business', schema: errorSchema },
    },
    async handler({ principal, params }) {
      const conversation = await store.conversations.getById(principal.businessId, params.id);
      if (!conversation) throw notFound('Conversation');
      const [messages, notes, steps, decisions] = await Promise.all([
        store.messages.listForConversation(principal.businessId, params.id, { limit: 1000 }),
        store.conversationNotes.listForConversation(principal.businessId, params.id),
        store.agentSteps.listForConversation(principal.businessId, params.id),
        store.handoffDecisions.listForConversation(principal.businessId, params.id),
      ]);
      return {
        conversation: await withContact(principal.businessId, conversation),
        messages: messages.map(apiMessage),
        notes: notes.map(apiNote),
        steps: steps.map(apiStep),
        decisions: decisions.map(apiHandoffDecision),
      };
    },
  });

  for (const change of ['take-over', 'hand-back', 'resolve'] as const) {
    api.register(app, {
      method: 'POST',
      url: `/api/conversations/:id/${change}`,
      summary:
        change === 'take-over'
          ? 'Take the conversation from the agent (the agent stays silent)'
          : change === 'hand-back'
            ? 'Hand the conversation back to the agent'
            : 'Mark the conversation resolved',
      tag: 'conversations',
      auth: 'member',
      params: idParams,
      responses: {
        200: { description: 'The updated conversation', ...conversationResponse },
        404: { description: 'No such conversation in this business', schema: errorSchema },
        409: {
          description: 'The conversation is not in a state that allows this',
          schema: errorSchema,
        },
      },
      async handler({ principal, params }) {
        const conversation = await changeConversationHolder(deps, {
          businessId: principal.businessId,
          conversationId: params.id,
          change,
          actor: actorOf(principal),
        });
        return { conversation: await withContact(principal.businessId, conversation) };
      },
    });
  }

  api.register(app, {
    method: 'POST',
    url: '/api/conversations/:id/messages',
    summary: 'Reply to the customer as a person (take the conversation over first)',
    tag: 'conversations',
    auth: 'member',
    params: idParams,
    body: z.object({ text: z.string().trim().min(1, 'must not be empty').max(MAX_REPLY_LENGTH) }),
    responses: {
      201: {
        description: 'The reply, queued for delivery',
        schema: z.object({ message: messageSchema }),
      },
      409: { description: 'The agent holds the conversation', schema: errorSchema },
    },
    async handler({ principal, params, body, reply }) {
      const message = await replyAsPerson(deps, {
        businessId: principal.businessId,
        conversationId: params.id,
        text: body.text,
        actor: actorOf(principal),
      });
      return reply.code(201).send({ message: apiMessage(message) });
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/conversations/:id/read',
    summary: 'Mark the conversation read',
    tag: 'conversations',
    auth: 'member',
    params: idParams,
    responses: {
      204: { description: 'Marked read' },
      404: { description: 'Not found', schema: errorSchema },
    },
    async handler({ principal, params, reply }) {
      const conversation = await store.conversations.getById(principal.businessId, params.id);
      if (!conversation) throw notFound('Conversation');
      await store.conversations.markRead(principal.businessId, params.id);
      deps.live.publish({
        type: 'conversation-updated',
        businessId: principal.businessId,
        conversationId: params.id,
        state: conversation.state,
      });
      return reply.code(204).send();
    },
  });
}
