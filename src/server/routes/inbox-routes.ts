import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DEFAULT_RESPONSE_TARGET_MINUTES } from '../../config/inbox-config.js';
import { notFound } from '../../core/errors.js';
import { addConversationNote, MAX_NOTE_LENGTH } from '../../inbox/add-conversation-note.js';
import { assignConversation } from '../../inbox/assign-conversation.js';
import { changeConversationTags, MAX_TAG_LENGTH } from '../../inbox/change-conversation-tags.js';
import { fillCannedReply } from '../../inbox/fill-canned-reply.js';
import { saveCannedReply } from '../../inbox/save-canned-reply.js';
import type { ApiRegistry } from '../api-route.js';
import { apiUser, errorSchema, userSchema } from '../api-shapes.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { actorOf } from './conversation-routes.js';
import { apiCannedReply, apiNote, cannedReplySchema, noteSchema } from './inbox-shapes.js';

const conversationParams = z.object({
  id: z.uuid({ message: 'must be a conversation id (a UUID)' }),
});
const cannedReplyParams = z.object({
  id: z.uuid({ message: 'must be a canned reply id (a UUID)' }),
});
const cannedReplyBody = z.object({
  shortcut: z.string().max(40),
  title: z.string().max(120).default(''),
  body: z.string().max(8000),
});
const notFoundResponse = {
  description: 'No such conversation in this business',
  schema: errorSchema,
};
const tagsResponse = {
  description: "The conversation's tags",
  schema: z.object({ tags: z.array(z.string()) }),
};

/** Assignment, notes, tags, canned replies and the team's presence: the inbox beyond the thread. */
export function registerInboxRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const { store } = deps;

  api.register(app, {
    method: 'POST',
    url: '/api/conversations/:id/assign',
    summary: 'Assign the conversation to a user of the business, or unassign it (userId null)',
    tag: 'inbox',
    auth: 'member',
    params: conversationParams,
    body: z.object({
      userId: z.uuid({ message: 'must be a user id (a UUID) or null' }).nullable(),
    }),
    responses: {
      200: {
        description: 'Assigned',
        schema: z.object({ assignedUserId: z.uuid().nullable() }),
      },
      400: { description: 'Not a user of this business', schema: errorSchema },
      404: notFoundResponse,
    },
    async handler({ principal, params, body }) {
      const conversation = await assignConversation(deps, {
        businessId: principal.businessId,
        conversationId: params.id,
        userId: body.userId,
        actor: actorOf(principal),
      });
      return { assignedUserId: conversation.assignedUserId };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/conversations/:id/notes',
    summary: 'Add an internal note (never sent to the customer, never shown to the model)',
    tag: 'inbox',
    auth: 'member',
    params: conversationParams,
    body: z.object({ text: z.string().trim().min(1, 'must not be empty').max(MAX_NOTE_LENGTH) }),
    responses: {
      201: { description: 'The note', schema: z.object({ note: noteSchema }) },
      404: notFoundResponse,
    },
    async handler({ principal, params, body, reply }) {
      const note = await addConversationNote(deps, {
        businessId: principal.businessId,
        conversationId: params.id,
        text: body.text,
        actor: actorOf(principal),
      });
      return reply.code(201).send({ note: apiNote(note) });
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/conversations/:id/tags',
    summary: 'Tag the conversation (lower-cased; adding a tag it has changes nothing)',
    tag: 'inbox',
    auth: 'member',
    params: conversationParams,
    body: z.object({ tag: z.string().max(MAX_TAG_LENGTH * 2) }),
    responses: {
      200: tagsResponse,
      400: { description: 'Not a valid tag', schema: errorSchema },
      404: notFoundResponse,
    },
    async handler({ principal, params, body }) {
      const tags = await changeConversationTags(deps, {
        businessId: principal.businessId,
        conversationId: params.id,
        add: body.tag,
      });
      return { tags };
    },
  });

  api.register(app, {
    method: 'DELETE',
    url: '/api/conversations/:id/tags/:tag',
    summary: 'Remove a tag from the conversation',
    tag: 'inbox',
    auth: 'member',
    params: conversationParams.extend({
      tag: z
        .string()
        .min(1)
        .max(MAX_TAG_LENGTH * 2),
    }),
    responses: { 200: tagsResponse, 404: notFoundResponse },
    async handler({ principal, params }) {
      const tags = await changeConversationTags(deps, {
        businessId: principal.businessId,
        conversationId: params.id,
        remove: params.tag,
      });
      return { tags };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/tags',
    summary: "The business's tags, most used first",
    tag: 'inbox',
    auth: 'member',
    responses: {
      200: {
        description: 'Tags with their number of conversations',
        schema: z.object({
          tags: z.array(z.object({ tag: z.string(), conversations: z.number().int() })),
        }),
      },
    },
    async handler({ principal }) {
      return { tags: await store.conversationTags.listForBusiness(principal.businessId) };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/canned-replies',
    summary: "The business's canned replies, as written (placeholders unfilled)",
    tag: 'inbox',
    auth: 'member',
    responses: {
      200: {
        description: 'Canned replies by shortcut',
        schema: z.object({ cannedReplies: z.array(cannedReplySchema) }),
      },
    },
    async handler({ principal }) {
      const replies = await store.cannedReplies.list(principal.businessId);
      return { cannedReplies: replies.map(apiCannedReply) };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/conversations/:id/canned-replies',
    summary: 'Canned replies filled in for this conversation ({{contact.name}} and the like)',
    tag: 'inbox',
    auth: 'member',
    params: conversationParams,
    responses: {
      200: {
        description: 'Canned replies with `text` ready to insert',
        schema: z.object({
          cannedReplies: z.array(cannedReplySchema.extend({ text: z.string() })),
        }),
      },
      404: notFoundResponse,
    },
    async handler({ principal, params }) {
      const conversation = await store.conversations.getById(principal.businessId, params.id);
      if (!conversation) throw notFound('Conversation');
      const [replies, contact, business] = await Promise.all([
        store.cannedReplies.list(principal.businessId),
        store.contacts.getById(principal.businessId, conversation.contactId),
        store.businesses.getById(principal.businessId),
      ]);
      const values = {
        contact: contact
          ? { name: contact.displayName, phone: contact.phone, email: contact.email }
          : null,
        businessName: business?.name ?? '',
        userName: principal.kind === 'user' ? principal.name : null,
      };
      return {
        cannedReplies: replies.map((reply) => ({
          ...apiCannedReply(reply),
          text: fillCannedReply(reply.body, values),
        })),
      };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/canned-replies',
    summary: 'Create a canned reply (owner only)',
    tag: 'inbox',
    auth: 'owner',
    body: cannedReplyBody,
    responses: {
      201: { description: 'Created', schema: z.object({ cannedReply: cannedReplySchema }) },
      400: {
        description: 'Bad shortcut, empty text or an unknown placeholder',
        schema: errorSchema,
      },
      403: { description: 'Staff cannot manage canned replies', schema: errorSchema },
      409: { description: 'The shortcut is taken', schema: errorSchema },
    },
    async handler({ principal, body, reply }) {
      const saved = await saveCannedReply(deps, { businessId: principal.businessId, reply: body });
      return reply.code(201).send({ cannedReply: apiCannedReply(saved) });
    },
  });

  api.register(app, {
    method: 'PUT',
    url: '/api/canned-replies/:id',
    summary: 'Replace a canned reply (owner only)',
    tag: 'inbox',
    auth: 'owner',
    params: cannedReplyParams,
    body: cannedReplyBody,
    responses: {
      200: { description: 'Saved', schema: z.object({ cannedReply: cannedReplySchema }) },
      400: {
        description: 'Bad shortcut, empty text or an unknown placeholder',
        schema: errorSchema,
      },
      403: { description: 'Staff cannot manage canned replies', schema: errorSchema },
      404: { description: 'No such canned reply', schema: errorSchema },
      409: { description: 'The shortcut is taken', schema: errorSchema },
    },
    async handler({ principal, params, body }) {
      const saved = await saveCannedReply(deps, {
        businessId: principal.businessId,
        id: params.id,
        reply: body,
      });
      return { cannedReply: apiCannedReply(saved) };
    },
  });

  api.register(app, {
    method: 'DELETE',
    url: '/api/canned-replies/:id',
    summary: 'Delete a canned reply (owner only)',
    tag: 'inbox',
    auth: 'owner',
    params: cannedReplyParams,
    responses: {
      204: { description: 'Deleted' },
      403: { description: 'Staff cannot manage canned replies', schema: errorSchema },
      404: { description: 'No such canned reply', schema: errorSchema },
    },
    async handler({ principal, params, reply }) {
      if (!(await store.cannedReplies.delete(principal.businessId, params.id))) {
        throw notFound('Canned reply');
      }
      return reply.code(204).send();
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/inbox/team',
    summary: 'The team: who can be assigned, who is online, and the response target',
    tag: 'inbox',
    auth: 'member',
    responses: {
      200: {
        description: 'Members with their presence',
        schema: z.object({
          members: z.array(
            z.object({
              id: z.uuid(),
              name: z.string(),
              email: z.string(),
              role: z.enum(['owner', 'staff']),
              online: z.boolean(),
            }),
          ),
          responseTargetMinutes: z.number().int(),
        }),
      },
    },
    async handler({ principal }) {
      const online = new Set(deps.presence?.online(principal.businessId) ?? []);
      const users = await store.users.list(principal.businessId);
      return {
        members: users.map((user) => ({
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          online: online.has(user.id),
        })),
        responseTargetMinutes:
          deps.inboxFor?.(principal.businessId).responseTargetMinutes ??
          DEFAULT_RESPONSE_TARGET_MINUTES,
      };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/inbox/team',
    summary: 'Add a staff member who can sign in to the console (owner only)',
    tag: 'inbox',
    auth: 'owner',
    body: z.object({
      name: z.string().trim().min(1, 'must not be empty').max(120),
      email: z.email({ message: 'must be an e-mail address, e.g. sam@example.com' }).max(320),
      password: z
        .string()
        .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
        .max(1024),
    }),
    responses: {
      201: { description: 'The new staff member', schema: z.object({ user: userSchema }) },
      400: { description: 'A field is not valid', schema: errorSchema },
      403: { description: 'Only the owner adds people', schema: errorSchema },
      409: { description: 'The e-mail address belongs to a user already', schema: errorSchema },
    },
    async handler({ principal, body, reply }) {
      const user = await store.users.create({
        businessId: principal.businessId,
        email: body.email,
        name: body.name,
        role: 'staff',
        passwordHash: await hashPassword(body.password),
      });
      await store.audit.record({
        businessId: principal.businessId,
        actorType: principal.kind === 'user' ? 'user' : 'api_key',
        actorId: principal.kind === 'user' ? principal.userId : principal.apiKeyId,
        action: 'user.created',
        subjectType: 'user',
        subjectId: user.id,
        details: { role: 'staff' },
      });
      return reply.code(201).send({ user: apiUser(user) });
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/inbox/heartbeat',
    summary: 'Keep the signed-in user online (for clients without an open /api/events stream)',
    tag: 'inbox',
    auth: 'member',
    responses: { 204: { description: 'Noted' } },
    async handler({ principal, reply }) {
      if (principal.kind === 'user')
        deps.presence?.heartbeat(principal.businessId, principal.userId);
      return reply.code(204).send();
    },
  });
}
