import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { ApiRegistry } from './api-route.js';
import { createAuthenticator } from './auth/authenticate.js';
import { HTTP_STATUS, toErrorBody, toParleyError } from './error-status.js';
import { registerAnalyticsRoutes } from './routes/analytics-routes.js';
import { registerApiKeyRoutes } from './routes/api-key-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerCatalogRoutes } from './routes/catalog-routes.js';
import { registerKnowledgeRoutes } from './routes/knowledge-routes.js';
import { registerContactRoutes } from './routes/contact-routes.js';
import { registerConversationRoutes } from './routes/conversation-routes.js';
import { registerEventStreamRoutes } from './routes/event-stream-routes.js';
import { registerHandoffRoutes } from './routes/handoff-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerLeadRoutes } from './routes/lead-routes.js';
import { registerInboxRoutes } from './routes/inbox-routes.js';
import { registerModelRoutes } from './routes/model-routes.js';
import { registerOpenAIGatewayRoutes } from './openai-gateway/openai-gateway-routes.js';
import { registerPageRoutes } from './routes/page-routes.js';
import { registerSimulatorRoutes } from './routes/simulator-routes.js';
import { registerMediaRoutes } from './routes/media-routes.js';
import { registerInviteRoutes } from './routes/invite-routes.js';
import { registerWebhookRoutes } from './routes/webhook-routes.js';
import { registerPaymentWebhookRoutes } from './routes/payment-webhook-routes.js';
import { registerWidgetRoutes } from './routes/widget-routes.js';
import type { ServerDependencies } from './server-dependencies.js';
import { gatewayEmbedder } from './start-knowledge.js';

const WIDGET_PATH = /^\/api\/widget\/([0-9a-f-]{36})\//;

/** The HTTP server: API, live streams, console and widget. Does not listen; the caller does. */
export async function buildServer(deps: ServerDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes ?? 1024 * 1024,
    trustProxy: deps.trustProxy,
    // Live streams hold their sockets open; closing the server must not wait for them.
    forceCloseConnections: true,
  });

  app.setErrorHandler((error, request, reply) => {
    const parleyError = toParleyError(error);
    const status = HTTP_STATUS[parleyError.code];
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send(toErrorBody(parleyError));
  });

  await app.register(fastifyCookie);
  // The widget runs on the business's own site and calls Parley cross-origin (no cookies: it
  // authenticates with its visitor token). The console is same-origin and gets no CORS at all.
  await app.register(fastifyCors, {
    delegator: (request, callback) => {
      const match = WIDGET_PATH.exec(request.url ?? '');
      if (!match) return callback(null, { origin: false });
      const allowed = deps.webChatFor(match[1]!).allowedOrigins;
      callback(null, {
        origin: allowed.length === 0 ? '*' : allowed,
        methods: ['GET', 'POST'],
        allowedHeaders: ['authorization', 'content-type', 'last-event-id'],
        maxAge: 600,
      });
    },
  });

  const api = new ApiRegistry(createAuthenticator(deps));
  registerHealthRoutes(app, api, deps);
  registerAuthRoutes(app, api, deps);
  registerConversationRoutes(app, api, deps);
  registerInboxRoutes(app, api, deps);
  registerHandoffRoutes(app, api, deps);
  registerContactRoutes(app, api, deps);
  registerApiKeyRoutes(app, api, deps);
  registerWidgetRoutes(app, api, deps);
  registerEventStreamRoutes(app, api, deps);
  if (deps.metaWebhooks) await registerWebhookRoutes(app, deps.metaWebhooks);
  if (deps.mediaBlobs) registerMediaRoutes(app, api, deps.mediaBlobs);
  if (deps.simulator) registerSimulatorRoutes(app, api, deps.simulator);
  registerPaymentWebhookRoutes(app, deps);
  registerCatalogRoutes(app, api, deps);
  registerInviteRoutes(app, api, deps);
  await registerKnowledgeRoutes(app, api, {
    ...deps,
    embedderFor: (businessId) => gatewayEmbedder(deps.modelGatewayFor?.(businessId) ?? null),
  });
  registerLeadRoutes(app, api, deps);
  registerAnalyticsRoutes(app, api, deps);
  const modelGatewayFor = deps.modelGatewayFor;
  if (modelGatewayFor) {
    registerModelRoutes(app, api, { ...deps, modelGatewayFor });
    registerOpenAIGatewayRoutes(app, { ...deps, gatewayFor: modelGatewayFor });
  }
  const openApi = api.openApiDocument({ title: 'Parley API', version: '0.1.0' });
  app.get('/api/openapi.json', () => openApi);
  await registerPageRoutes(app, deps);
  return app;
}
