import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FaqEntry } from '../../core/catalog.js';
import type { Embedder } from '../../core/embedder.js';
import { notFound } from '../../core/errors.js';
import { saveFaqEntry } from '../../tools/knowledge/save-faq-entry.js';
import type { ApiRegistry } from '../api-route.js';
import type { Principal } from '../auth/principal.js';
import { errorSchema } from '../api-shapes.js';
import type { ServerDependencies } from '../server-dependencies.js';

/** The longest question and answer Parley stores: an FAQ answer is a paragraph, not a document. */
export const MAX_FAQ_QUESTION = 300;
export const MAX_FAQ_ANSWER = 4000;

const entrySchema = z.object({
  id: z.string(),
  question: z.string(),
  answer: z.string(),
  source: z.enum(['file', 'console']),
  fileQuestion: z.string().nullable(),
  updatedAt: z.string(),
});
const entryBody = z.strictObject({
  question: z
    .string({ error: 'Write the question, as a customer would ask it.' })
    .trim()
    .min(1, 'Write the question, as a customer would ask it.')
    .max(MAX_FAQ_QUESTION, `Keep the question under ${MAX_FAQ_QUESTION} characters.`),
  answer: z
    .string({ error: 'Write the answer the agent should give.' })
    .trim()
    .min(1, 'Write the answer the agent should give.')
    .max(
      MAX_FAQ_ANSWER,
      `Keep the answer under ${MAX_FAQ_ANSWER} characters; upload longer texts as a document.`,
    ),
});
const idParams = z.object({ id: z.string().min(1) });

/**
 * FAQ entries: list (members), add, edit and delete (owners). Entries written here are the
 * owner's: start-up sync from the business file never overwrites them, and a file entry deleted
 * here stays deleted.
 */
export function registerFaqRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies & { embedderFor(businessId: string): Embedder | null },
): void {
  api.register(app, {
    method: 'GET',
    url: '/api/knowledge/faq',
    summary:
      'The FAQ entries, in order, each with where it comes from: the business file (faq:) or the console/API',
    tag: 'knowledge',
    auth: 'member',
    responses: {
      200: { description: 'FAQ entries', schema: z.object({ entries: z.array(entrySchema) }) },
    },
    async handler({ principal }) {
      const entries = await deps.store.knowledge.listFaq(principal.businessId);
      return { entries: entries.map(view) };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/knowledge/faq',
    summary:
      'Add an FAQ entry; the agent finds it at once, and the business file never overwrites it',
    tag: 'knowledge',
    auth: 'owner',
    body: entryBody,
    responses: {
      201: { description: 'Stored and searchable', schema: entrySchema },
      400: { description: 'A field is missing or too long', schema: errorSchema },
      409: { description: 'The FAQ already asks this question', schema: errorSchema },
    },
    async handler({ principal, body, reply }) {
      const entry = await saveFaqEntry(
        { store: deps.store, embedder: deps.embedderFor(principal.businessId) },
        { businessId: principal.businessId, ...body },
      );
      await audit(deps, principal, 'knowledge.faq.created', entry.id, { question: entry.question });
      reply.code(201);
      return view(entry);
    },
  });

  api.register(app, {
    method: 'PUT',
    url: '/api/knowledge/faq/:id',
    summary:
      'Rewrite an FAQ entry; one from the business file becomes the owner’s, and later changes to it in the file are ignored',
    tag: 'knowledge',
    auth: 'owner',
    params: idParams,
    body: entryBody,
    responses: {
      200: { description: 'Stored and searchable', schema: entrySchema },
      400: { description: 'A field is missing or too long', schema: errorSchema },
      404: { description: 'No such entry', schema: errorSchema },
      409: { description: 'Another entry already asks this question', schema: errorSchema },
    },
    async handler({ principal, params, body }) {
      const entry = await saveFaqEntry(
        { store: deps.store, embedder: deps.embedderFor(principal.businessId) },
        { businessId: principal.businessId, id: params.id, ...body },
      );
      await audit(deps, principal, 'knowledge.faq.edited', entry.id, { question: entry.question });
      return view(entry);
    },
  });

  api.register(app, {
    method: 'DELETE',
    url: '/api/knowledge/faq/:id',
    summary:
      'Delete an FAQ entry: the agent no longer finds it, and one from the business file does not come back at the next start',
    tag: 'knowledge',
    auth: 'owner',
    params: idParams,
    responses: {
      204: { description: 'Deleted' },
      404: { description: 'No such entry', schema: errorSchema },
    },
    async handler({ principal, params, reply }) {
      const deleted = await deps.store.knowledge.deleteFaq(principal.businessId, params.id);
      if (!deleted) throw notFound('The FAQ entry');
      await audit(deps, principal, 'knowledge.faq.deleted', params.id, {});
      return reply.code(204).send();
    },
  });
}

async function audit(
  deps: ServerDependencies,
  principal: Principal,
  action: string,
  subjectId: string,
  details: Record<string, unknown>,
): Promise<void> {
  await deps.store.audit.record({
    businessId: principal.businessId,
    actorType: principal.kind === 'api_key' ? 'api_key' : 'user',
    actorId: principal.kind === 'api_key' ? principal.apiKeyId : principal.userId,
    action,
    subjectType: 'faq_entry',
    subjectId,
    details,
  });
}

function view(entry: FaqEntry) {
  return {
    id: entry.id,
    question: entry.question,
    answer: entry.answer,
    source: entry.source,
    fileQuestion: entry.fileQuestion,
    updatedAt: entry.updatedAt.toISOString(),
  };
}
