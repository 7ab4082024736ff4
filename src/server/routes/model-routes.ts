import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../../core/errors.js';
import type { ModelGateway } from '../../models/model-gateway.js';
import {
  checkModelLicence,
  type LicenceVerdict,
} from '../../models/licences/check-model-licence.js';
import { discoverModelServers } from '../../models/local/discover-model-servers.js';
import { embeddedSnippet, serverSnippet } from '../../models/local/model-snippets.js';
import { RECOMMENDED_MODELS } from '../../models/local/model-sources.js';
import { whatIfCosts } from '../../models/what-if-cost.js';
import type { ApiRegistry } from '../api-route.js';
import type { ServerDependencies } from '../server-dependencies.js';

const DAY_MS = 24 * 3600_000;

function licenceView(licence: LicenceVerdict) {
  return {
    status: licence.status,
    name: licence.facts?.licence ?? null,
    url: licence.facts?.url ?? null,
    openWeights: licence.facts?.openWeights ?? null,
    reasons: licence.reasons,
    duties: licence.duties,
  };
}

const callSchema = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  source: z.string(),
  task: z.string(),
  modelId: z.string(),
  provider: z.string(),
  location: z.string(),
  contactId: z.string().nullable(),
  conversationId: z.string().nullable(),
  dataClasses: z.array(z.string()),
  redactions: z.record(z.string(), z.number()),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  cachedInputTokens: z.number().nullable(),
  audioSeconds: z.number().nullable().optional(),
  costMicros: z.number(),
  latencyMs: z.number(),
  outcome: z.string(),
  errorCode: z.string().nullable(),
  fallbackFrom: z.string().nullable(),
});

/** The model gateway's view for the owner: models and licences, usage and cost, the egress log. */
export function registerModelRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies & { modelGatewayFor(businessId: string): ModelGateway | null },
): void {
  const gatewayOf = (businessId: string): ModelGateway => {
    const gateway = deps.modelGatewayFor(businessId);
    if (!gateway) {
      throw new ParleyError(
        'not_found',
        'This business has no models configured: customers get menus. Add a models section to its business file.',
      );
    }
    return gateway;
  };

  api.register(app, {
    method: 'GET',
    url: '/api/models',
    summary: 'Configured models with their licence verdicts and routes',
    tag: 'models',
    auth: 'member',
    responses: { 200: { description: 'Models' }, 404: { description: 'No models configured' } },
    handler({ principal }) {
      const gateway = gatewayOf(principal.businessId);
      return Promise.resolve({
        models: gateway.listModels().map((model) => {
          const licence = gateway.licences.find((verdict) => verdict.modelId === model.id);
          return { ...model, licence: licence ? licenceView(licence) : null };
        }),
        tasks: gateway.tasks,
        routes: gateway.routes,
        // No route for customer replies: customers get menus until a model is set up.
        menuMode: gateway.bindingFor('customer-replies') === null,
        licensing: gateway.licensing,
        warnings: gateway.warnings,
      });
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/models/usage',
    summary: 'Spend and tokens per day and model, and the most expensive conversations',
    tag: 'models',
    auth: 'member',
    query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }),
    responses: { 200: { description: 'Usage' } },
    async handler({ principal, query }) {
      const since = new Date(deps.clock.now().getTime() - query.days * DAY_MS);
      const { timeZone } = gatewayOf(principal.businessId);
      const [byDay, byConversation] = await Promise.all([
        // Days as the owner reads them: in the business's time zone, like its budgets.
        deps.store.modelCalls.usageByDay(principal.businessId, { since, timeZone }),
        deps.store.modelCalls.usageByConversation(principal.businessId, { since, limit: 20 }),
      ]);
      const totals = byDay.reduce(
        (sum, row) => ({
          calls: sum.calls + row.calls,
          inputTokens: sum.inputTokens + row.inputTokens,
          outputTokens: sum.outputTokens + row.outputTokens,
          costMicros: sum.costMicros + row.costMicros,
        }),
        { calls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 },
      );
      // The owner knows a conversation by the customer's name, not its id.
      const named = await Promise.all(
        byConversation.map(async (row) => {
          const conversation = await deps.store.conversations.getById(
            principal.businessId,
            row.conversationId,
          );
          const contact = conversation
            ? await deps.store.contacts.getById(principal.businessId, conversation.contactId)
            : null;
          return { ...row, contactName: contact?.displayName ?? null };
        }),
      );
      return { since: since.toISOString(), timeZone, totals, byDay, byConversation: named };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/models/calls',
    summary:
      'The egress log: which provider got each model call, data classes and redaction counts',
    tag: 'models',
    auth: 'member',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      conversationId: z.uuid().optional(),
    }),
    responses: {
      200: { description: 'Calls, newest first', schema: z.object({ calls: z.array(callSchema) }) },
    },
    async handler({ principal, query }) {
      const calls = await deps.store.modelCalls.list(principal.businessId, {
        limit: query.limit,
        ...(query.conversationId ? { conversationId: query.conversationId } : {}),
      });
      return { calls: calls.map(({ at, ...call }) => ({ ...call, at: at.toISOString() })) };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/models/what-if',
    summary:
      "The last days' measured traffic priced on every configured model, per month, and on a fixed-price GPU",
    tag: 'models',
    auth: 'member',
    query: z.object({
      days: z.coerce.number().int().min(1).max(366).default(30),
      gpuPerHour: z.coerce.number().min(0).max(10_000).optional(),
      gpuTokensPerSecond: z.coerce.number().positive().max(1_000_000).optional(),
      queriesPerDay: z.coerce.number().int().min(0).max(100_000_000).optional(),
    }),
    responses: { 200: { description: 'Monthly cost per model' } },
    async handler({ principal, query }) {
      const gateway = gatewayOf(principal.businessId);
      const since = new Date(deps.clock.now().getTime() - query.days * DAY_MS);
      const usage = await deps.store.modelCalls.usageByDay(principal.businessId, { since });
      const traffic = usage.reduce(
        (sum, row) => ({
          ...sum,
          calls: sum.calls + row.calls,
          inputTokens: sum.inputTokens + row.inputTokens,
          outputTokens: sum.outputTokens + row.outputTokens,
          cachedInputTokens: sum.cachedInputTokens + row.cachedInputTokens,
          audioSeconds: sum.audioSeconds + row.audioSeconds,
        }),
        {
          days: query.days,
          calls: 0,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          audioSeconds: 0,
        },
      );
      return {
        traffic,
        ...whatIfCosts(traffic, gateway.catalog, gateway.prices, {
          fixed:
            query.gpuPerHour === undefined
              ? null
              : { perHour: query.gpuPerHour, tokensPerSecond: query.gpuTokensPerSecond ?? null },
          queriesPerDay: query.queriesPerDay ?? null,
        }),
      };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/models/local',
    summary:
      'Local models: pulled GGUF files, downloads in progress, recommended small models, and model servers running on this machine',
    tag: 'models',
    auth: 'member',
    responses: { 200: { description: 'Local models' } },
    async handler({ principal }) {
      const gateway = gatewayOf(principal.businessId);
      const puller = gateway.puller;
      const [pulled, servers] = await Promise.all([
        puller ? puller.library.list() : Promise.resolve([]),
        discoverModelServers(puller?.serverCandidates),
      ]);
      return {
        pulled: pulled.map((model) => ({ ...model, snippet: embeddedSnippet(model.name) })),
        downloads: puller?.status() ?? [],
        downloadsOffered: puller !== null,
        recommended: Object.entries(RECOMMENDED_MODELS).map(([name, model]) => ({
          name,
          ...model,
          // Checked like a configured model: the console warns before the owner downloads it.
          licence: licenceView(
            checkModelLicence({ id: name, model: model.uri, licence: null }, gateway.licensing),
          ),
        })),
        servers: servers.map((server) => ({ ...server, snippet: serverSnippet(server) })),
      };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/models/pull',
    summary:
      'Start downloading a local model (a recommended name, hf:<owner>/<repo>/<file>.gguf or a URL); poll GET /api/models/local for progress',
    tag: 'models',
    auth: 'owner',
    body: z.object({ source: z.string().trim().min(1).max(500) }),
    responses: {
      202: { description: 'Download started or already running' },
      400: {
        description:
          'Not a model source Parley may fetch: a host outside PARLEY_MODEL_DOWNLOAD_HOSTS, not https, or a private address',
      },
    },
    async handler({ principal, body, reply }) {
      const puller = gatewayOf(principal.businessId).puller;
      if (!puller) {
        throw new ParleyError(
          'not_found',
          'This Parley does not download models. Use parley model pull on the server.',
        );
      }
      return reply.code(202).send({ download: await puller.start(body.source) });
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/models/budget',
    summary: "Today's spend (the business's day, in its time zone) against its daily budgets",
    tag: 'models',
    auth: 'member',
    responses: { 200: { description: 'Budget' } },
    async handler({ principal }) {
      const gateway = gatewayOf(principal.businessId);
      const limits = gateway.budgetSettings;
      const { day, since } = gateway.budget.today();
      const [spentMicros, contacts] = await Promise.all([
        deps.store.modelCalls.spend(principal.businessId, { since }),
        deps.store.modelCalls.spendByContact(principal.businessId, { since, limit: 10 }),
      ]);
      const share = (spent: number, limit: number | null) =>
        limit === null || limit === 0 ? null : spent / (limit * 1e6);
      return {
        day,
        since: since.toISOString(),
        spentMicros,
        limits,
        business: { spentMicros, share: share(spentMicros, limits.perBusinessPerDay) },
        contacts: await Promise.all(
          contacts.map(async (contact) => {
            const known = await deps.store.contacts.getById(
              principal.businessId,
              contact.contactId,
            );
            return {
              ...contact,
              name: known?.displayName ?? null,
              share: share(contact.costMicros, limits.perContactPerDay),
            };
          }),
        ),
      };
    },
  });
}
