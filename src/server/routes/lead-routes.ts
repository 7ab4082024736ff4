import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ParleyError, notFound } from '../../core/errors.js';
import type { LeadDelivery, LeadSettings, LeadWithContact } from '../../core/leads.js';
import { leadsCsv } from '../../tools/leads/leads-csv.js';
import { setLeadStage } from '../../tools/leads/set-lead-stage.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import type { ServerDependencies } from '../server-dependencies.js';

const answer = z.union([z.string(), z.number(), z.boolean()]);

export const leadSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  contact: z.object({
    displayName: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
  }),
  conversationId: z.string().nullable(),
  answers: z.record(z.string(), answer),
  score: z.number(),
  stage: z.string(),
  stageSetBy: z.enum(['score', 'person']),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const pipelineSchema = z.object({
  stages: z.array(z.object({ name: z.string(), minScore: z.number().nullable() })),
  questions: z.array(
    z.object({ id: z.string(), prompt: z.string(), type: z.string(), required: z.boolean() }),
  ),
  webhook: z.boolean(),
});

const deliverySchema = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string(),
  createdAt: z.string(),
});

const filterQuery = z.object({
  stage: z.string().trim().min(1).max(40).optional(),
  minScore: z.coerce
    .number({ message: 'must be a whole number, such as 40' })
    .int({ message: 'must be a whole number, such as 40' })
    .optional(),
  text: z.string().trim().max(200, { message: 'must be 200 characters or fewer' }).optional(),
});

const idParams = z.object({ id: z.uuid({ message: 'must be a lead id (a UUID)' }) });

/** A lead as the API shows it. */
export function apiLead(lead: LeadWithContact): z.infer<typeof leadSchema> {
  return {
    id: lead.id,
    contactId: lead.contactId,
    contact: lead.contact,
    conversationId: lead.conversationId,
    answers: lead.answers,
    score: lead.score,
    stage: lead.stage,
    stageSetBy: lead.stageSetBy,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

function apiDelivery(delivery: LeadDelivery): z.infer<typeof deliverySchema> {
  return {
    id: delivery.id,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    createdAt: delivery.createdAt.toISOString(),
  };
}

function apiPipeline(settings: LeadSettings | null): z.infer<typeof pipelineSchema> {
  return {
    stages: settings?.stages ?? [],
    questions: (settings?.questions ?? []).map(({ id, prompt, type, required }) => ({
      id,
      prompt,
      type,
      required,
    })),
    webhook: Boolean(settings?.webhook),
  };
}

/** Leads: the list with filters, one lead, a person's stage change, and the CSV export. */
export function registerLeadRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const { store, clock } = deps;
  const settingsFor = (businessId: string) => deps.leadSettingsFor?.(businessId) ?? null;

  api.register(app, {
    method: 'GET',
    url: '/api/leads',
    summary: 'Leads, highest score first; filter by stage, minimum score and text',
    tag: 'leads',
    auth: 'member',
    query: filterQuery.extend({
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
    responses: {
      200: {
        description: 'The leads and the pipeline they move through',
        schema: z.object({ leads: z.array(leadSchema), pipeline: pipelineSchema }),
      },
      400: { description: 'A filter is not valid', schema: errorSchema },
    },
    async handler({ principal, query }) {
      const leads = await store.leads.list(principal.businessId, query);
      return {
        leads: leads.map(apiLead),
        pipeline: apiPipeline(settingsFor(principal.businessId)),
      };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/leads.csv',
    summary: 'Export leads as CSV (same filters as the list), one column per question',
    tag: 'leads',
    auth: 'member',
    query: filterQuery,
    responses: {
      200: { description: 'text/csv, UTF-8 with a byte order mark' },
      400: { description: 'A filter is not valid', schema: errorSchema },
    },
    async handler({ principal, query, reply }) {
      const leads = await store.leads.list(principal.businessId, { ...query, limit: null });
      const day = clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="leads-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(leadsCsv(leads, settingsFor(principal.businessId)));
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/leads/:id',
    summary: 'One lead, with its pushes to the CRM webhook',
    tag: 'leads',
    auth: 'member',
    params: idParams,
    responses: {
      200: {
        description: 'The lead',
        schema: z.object({ lead: leadSchema, deliveries: z.array(deliverySchema) }),
      },
      404: { description: 'No such lead in this business', schema: errorSchema },
    },
    async handler({ principal, params }) {
      const lead = await store.leads.getById(principal.businessId, params.id);
      if (!lead) throw notFound('Lead');
      const deliveries = await store.leadDeliveries.listForLead(principal.businessId, lead.id);
      return { lead: apiLead(lead), deliveries: deliveries.map(apiDelivery) };
    },
  });

  api.register(app, {
    method: 'PATCH',
    url: '/api/leads/:id',
    summary: 'Move a lead to a stage of the pipeline (it then stays there; answers still score)',
    tag: 'leads',
    auth: 'member',
    params: idParams,
    body: z.object({ stage: z.string().trim().min(1, { message: 'name the stage' }).max(40) }),
    responses: {
      200: { description: 'The updated lead', schema: z.object({ lead: leadSchema }) },
      400: { description: 'Not a stage of this business', schema: errorSchema },
      404: { description: 'No such lead in this business', schema: errorSchema },
    },
    async handler({ principal, params, body }) {
      const settings = settingsFor(principal.businessId);
      if (!settings) {
        throw new ParleyError(
          'validation_failed',
          'This business has no lead pipeline. Add a leads section to the business file.',
        );
      }
      const lead = await setLeadStage(
        { store, clock },
        {
          businessId: principal.businessId,
          leadId: params.id,
          stage: body.stage,
          settings,
          actor:
            principal.kind === 'user'
              ? { type: 'user', id: principal.userId }
              : { type: 'api_key', id: principal.apiKeyId },
        },
      );
      return { lead: apiLead(lead) };
    },
  });
}
