import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseHandoffPolicyInput, toHandoffPolicyInput } from '../../config/handoff-config.js';
import { notFound } from '../../core/errors.js';
import type { HandoffDecision } from '../../core/handoff.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import type { ServerDependencies } from '../server-dependencies.js';

export const handoffDecisionSchema = z.object({
  id: z.string(),
  turnId: z.string(),
  phase: z.enum(['before', 'after']),
  trigger: z.string(),
  fired: z.boolean(),
  action: z.enum(['handoff', 'callback', 'notify']),
  evidence: z.string(),
  deciding: z.boolean(),
  createdAt: z.string(),
});

/** A decision as the API shows it. */
export function apiHandoffDecision(
  decision: HandoffDecision,
): z.infer<typeof handoffDecisionSchema> {
  return {
    id: decision.id,
    turnId: decision.turnId,
    phase: decision.phase,
    trigger: decision.trigger,
    fired: decision.fired,
    action: decision.action,
    evidence: decision.evidence,
    deciding: decision.deciding,
    createdAt: decision.createdAt.toISOString(),
  };
}

const handoffSummarySchema = z.object({
  source: z.enum(['model', 'facts']),
  text: z.string(),
  trigger: z.string().nullable(),
  evidence: z.string().nullable(),
  modelName: z.string().nullable(),
  createdAt: z.string(),
});

const policyResponse = z.object({
  policy: z.unknown(),
  source: z.enum(['file', 'console']),
  updatedAt: z.string().nullable(),
});

/** The handoff policy (read by members, changed by the owner) and each thread's decisions. */
export function registerHandoffRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  const { store } = deps;

  async function currencyOf(businessId: string): Promise<string> {
    const business = await store.businesses.getById(businessId);
    if (!business) throw notFound('Business');
    return business.profile.currency;
  }

  api.register(app, {
    method: 'GET',
    url: '/api/handoff-policy',
    summary: "The business's handoff policy: the owner's console edit, else the business file's",
    tag: 'handoff',
    auth: 'member',
    responses: { 200: { description: 'The effective policy', schema: policyResponse } },
    async handler({ principal }) {
      const currency = await currencyOf(principal.businessId);
      const stored = await store.handoffPolicies.get(principal.businessId);
      const policy = stored?.policy ?? deps.handoffFilePolicyFor?.(principal.businessId) ?? null;
      return {
        policy: policy ? toHandoffPolicyInput(policy, currency) : null,
        source: stored ? 'console' : 'file',
        updatedAt: stored?.updatedAt.toISOString() ?? null,
      };
    },
  });

  api.register(app, {
    method: 'PUT',
    url: '/api/handoff-policy',
    summary: 'Replace the handoff policy (owner only); it overrides the business file from now on',
    tag: 'handoff',
    auth: 'owner',
    body: z.unknown(),
    responses: {
      200: { description: 'The stored policy', schema: policyResponse },
      400: { description: 'The policy is not valid; issues say which field', schema: errorSchema },
      403: { description: 'Only the owner may change the policy', schema: errorSchema },
    },
    async handler({ principal, body }) {
      const currency = await currencyOf(principal.businessId);
      const policy = parseHandoffPolicyInput(body, currency);
      const userId = principal.kind === 'user' ? principal.userId : null;
      const stored = await store.transaction(async (tx) => {
        const saved = await tx.handoffPolicies.put(principal.businessId, policy, userId);
        await tx.audit.record({
          businessId: principal.businessId,
          actorType: principal.kind === 'user' ? 'user' : 'api_key',
          actorId: principal.kind === 'user' ? principal.userId : principal.apiKeyId,
          action: 'handoff-policy.updated',
          subjectType: 'business',
          subjectId: principal.businessId,
          details: {},
        });
        return saved;
      });
      return {
        policy: toHandoffPolicyInput(stored.policy, currency),
        source: 'console' as const,
        updatedAt: stored.updatedAt.toISOString(),
      };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/conversations/:id/handoff-summary',
    summary: 'The summary for whoever takes over: by the summaries model, else from the facts',
    tag: 'handoff',
    auth: 'member',
    params: z.object({ id: z.uuid({ message: 'must be a conversation id (a UUID)' }) }),
    responses: {
      200: {
        description: 'The newest summary, or null when the conversation was never handed over',
        schema: z.object({ summary: handoffSummarySchema.nullable() }),
      },
      404: { description: 'No such conversation in this business', schema: errorSchema },
    },
    async handler({ principal, params }) {
      const conversation = await store.conversations.getById(principal.businessId, params.id);
      if (!conversation) throw notFound('Conversation');
      const summary = await store.handoffSummaries.latest(principal.businessId, params.id);
      return {
        summary: summary
          ? {
              source: summary.source,
              text: summary.text,
              trigger: summary.trigger,
              evidence: summary.evidence,
              modelName: summary.modelName,
              createdAt: summary.createdAt.toISOString(),
            }
          : null,
      };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/conversations/:id/handoff-decisions',
    summary: 'Every evaluated handoff rule of the conversation, with its evidence',
    tag: 'handoff',
    auth: 'member',
    params: z.object({ id: z.uuid({ message: 'must be a conversation id (a UUID)' }) }),
    responses: {
      200: {
        description: 'The decisions',
        schema: z.object({ decisions: z.array(handoffDecisionSchema) }),
      },
      404: { description: 'No such conversation in this business', schema: errorSchema },
    },
    async handler({ principal, params }) {
      const conversation = await store.conversations.getById(principal.businessId, params.id);
      if (!conversation) throw notFound('Conversation');
      const decisions = await store.handoffDecisions.listForConversation(
        principal.businessId,
        params.id,
      );
      return { decisions: decisions.map(apiHandoffDecision) };
    },
  });
}
