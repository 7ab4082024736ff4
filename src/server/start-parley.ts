import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { TurnWorker } from '../agent/turn-worker.js';
import { ModelCircuit } from '../agent/model-circuit.js';
import type { AgentSettings } from '../agent/run-agent-turn.js';
import { OutboxDispatcher } from '../channels/outbox-dispatcher.js';
import { createWebChatSender } from '../channels/web/web-chat-sender.js';
import type { BusinessConfig } from '../config/business-config.js';
import type { ServerSettings } from '../config/server-settings.js';
import { syncBusinessConfig } from '../config/sync-business-config.js';
import type { Business } from '../core/business.js';
import { systemClock, type Clock } from '../core/clock.js';
import { randomIds, type IdGenerator } from '../core/ids.js';
import { createInProcessLiveEvents, type LiveEvents } from '../core/live-events.js';
import type { ModelBinding } from '../core/model.js';
import type { Store } from '../core/store.js';
import type { ModelGateway } from '../models/model-gateway.js';
import { openDatabase, type DatabaseHandle } from '../store/database.js';
import { createDrizzleStore } from '../store/drizzle-store.js';
import { defaultTools } from '../tools/default-tools.js';
import { randomToken } from './auth/tokens.js';
import { buildServer } from './build-server.js';
import { createHandoffWiring } from './handoff-wiring.js';
import { startHandoffSummaries } from './start-handoff-summaries.js';
import type { Mailer } from '../core/handoff.js';
import { ensureDemoOwner } from './demo-owner.js';
import { startModelGateway } from './start-model-gateway.js';
import {
  createMetaChannels,
  type MetaChannelOptions,
  type MetaChannels,
} from './start-meta-channels.js';
import { startAppointmentReminders } from './start-appointment-reminders.js';
import { wireBusinessTools } from './start-business-tools.js';
import { wireKnowledge } from './start-knowledge.js';
import { wireLeads } from './start-leads.js';
import { startTeamInbox } from './start-inbox.js';
import { startZendesk } from './start-zendesk.js';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface StartParleyOptions {
  settings: ServerSettings;
  config: BusinessConfig;
  /** True when `config` is the bundled demo: a demo owner account is created. */
  demo: boolean;
  logger: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  /** An open database (tests pass one); otherwise opened from the settings. */
  database?: DatabaseHandle;
  /** Replaces the configured model (tests pass scripted models); null forces menu mode. */
  model?: ModelBinding | null;
  /** Used by the OpenAI-compatible provider; injectable for tests. */
  modelFetch?: typeof fetch;
  webRoot?: string;
  /** Listen on settings.host:port (default true); false for in-process `inject` tests. */
  listen?: boolean;
  workerPollMs?: number;
  /** Replaces the SMTP mailer of handoff notifications (tests); null sends no e-mail. */
  mailer?: Mailer | null;
  /** Graph API fetch, pacing, blob store and transcriber overrides (tests, the simulator). */
  metaChannels?: MetaChannelOptions;
  /** Fetch for the CRM webhook pushes of leads (tests). */
  leadWebhookFetch?: typeof fetch;
  /** How long a claimed outbox item is leased before another worker may retry it. */
  outboxLeaseMs?: number;
}

export interface RunningParley {
  app: FastifyInstance;
  store: Store;
  live: LiveEvents;
  business: Business;
  /** Where the server listens, e.g. `http://127.0.0.1:3000` (null when not listening). */
  url: string | null;
  demoOwner: { email: string; password: string | null } | null;
  turnWorker: TurnWorker;
  /** Routes, redaction, budgets and the egress log of the business's models. */
  modelGateway: ModelGateway;
  outbox: OutboxDispatcher;
  /** WhatsApp, Messenger and Instagram: accounts, senders, webhook intake and processor. */
  meta: MetaChannels;
  close(): Promise<void>;
}

/** The composition root: opens storage, applies the business file, starts workers and HTTP. */
export async function startParley(options: StartParleyOptions): Promise<RunningParley> {
  const { settings, config, logger } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const database =
    options.database ??
    (await openDatabase(
      settings.databaseUrl
        ? { kind: 'postgres', url: settings.databaseUrl }
        : { kind: 'pglite', dataDir: `${settings.dataDir}/pglite` },
    ));
  const store = createDrizzleStore(database.db, { clock, ids });
  const business = await syncBusinessConfig(store, config);
  const demoOwner = options.demo
    ? await ensureDemoOwner(store, {
        businessId: business.id,
        dataDir: settings.dataDir,
        password: settings.demoPassword,
      })
    : null;
  const visitorSecret = await store.settings.getOrCreate('visitor-token-secret', () =>
    randomToken(32),
  );

  const modelGateway = startModelGateway({
    businessId: business.id,
    config,
    settings,
    store,
    clock,
    logger,
    fetch: options.modelFetch,
  });
  const model =
    options.model !== undefined ? options.model : modelGateway.bindingFor('customer-replies');
  const primarySettings: AgentSettings = {
    model,
    maxSteps: config.agent.maxSteps,
    historyMessages: config.agent.historyMessages,
  };
  const otherSettings: AgentSettings = { model: null, maxSteps: 6, historyMessages: 20 };
  const live = createInProcessLiveEvents();
  const pollMs = options.workerPollMs ?? 1_000;

  const wiring = wireBusinessTools({
    ...{ store, clock, businessId: business.id, config },
    publicUrl: settings.publicUrl,
  });
  const knowledge = wireKnowledge({ businessId: business.id, gateway: modelGateway });
  const leads = wireLeads({
    store,
    clock,
    settingsFor: wiring.leadSettingsFor,
    pollMs,
    ...(options.leadWebhookFetch ? { fetch: options.leadWebhookFetch } : {}),
    onError: (error) => logger.error({ err: error }, 'lead webhook dispatch failed'),
  });
  const handoff = createHandoffWiring({
    store,
    clock,
    logger,
    config,
    primaryBusinessId: business.id,
    ...(options.mailer !== undefined ? { mailer: options.mailer } : {}),
  });
  const turnWorker = new TurnWorker(
    {
      store,
      live,
      clock,
      ids,
      circuit: new ModelCircuit(clock),
      handoff: handoff.guard,
      tools: knowledge.withEmbeddings([...defaultTools, ...wiring.tools]),
      guard: knowledge.withCitations(wiring.guard),
      settingsFor: (businessId) => (businessId === business.id ? primarySettings : otherSettings),
      // Customers' photos for a vision model; the store is made with the channels, below.
      blobs: { get: (key) => meta.blobs.get(key) },
    },
    {
      concurrency: 4,
      leaseMs: Math.max(120_000, (model?.timeoutMs ?? 0) * 3),
      pollMs,
      onError: (error) => logger.error({ err: error }, 'agent turn failed'),
    },
  );
  const meta = await createMetaChannels({
    store,
    live,
    clock,
    logger,
    settings,
    businesses: [{ businessId: business.id, accounts: config.channels }],
    databaseKind: database.kind,
    transcriberFor: (businessId) => (businessId === business.id ? modelGateway.transcriber : null),
    options: { pollMs, ...options.metaChannels },
  });
  const outbox = new OutboxDispatcher(
    { store, live, clock },
    [createWebChatSender(), ...meta.senders],
    {
      batchSize: 20,
      leaseMs: options.outboxLeaseMs ?? 60_000,
      pollMs,
      maxAttempts: 8,
      backoffBaseMs: 1_000,
      backoffMaxMs: 5 * 60_000,
      onError: (error) => logger.error({ err: error }, 'outbox dispatch failed'),
    },
  );

  const teamInbox = startTeamInbox({ store, live, clock, logger });
  const summaries = startHandoffSummaries({
    ...{ store, live, clock, logger },
    summarizer: modelGateway.bindingFor('summaries'),
  });
  const app = await buildServer({
    presence: teamInbox.presence,
    inboxFor: (businessId) =>
      (businessId === business.id ? config.inbox : undefined) ?? { responseTargetMinutes: 5 },
    store,
    live,
    clock,
    ids,
    logger,
    visitorSecret,
    webRoot: options.webRoot ?? DEFAULT_WEB_ROOT,
    primaryBusinessId: business.id,
    modelGatewayFor: (businessId) => (businessId === business.id ? modelGateway : null),
    handoffFilePolicyFor: (businessId) => handoff.filePolicyFor(businessId),
    trustProxy: settings.trustProxy,
    metaWebhooks: { accounts: meta.accounts, intake: meta.intake },
    mediaBlobs: meta.blobs,
    ...(meta.simulator ? { simulator: meta.simulator } : {}),
    paymentsFor: (businessId) => wiring.paymentsFor(businessId),
    leadSettingsFor: leads.settingsFor,
    shopifyFor: (businessId) => (businessId === business.id ? (config.shopify ?? null) : null),
    webChatFor: (businessId) =>
      businessId === business.id
        ? {
            greeting: config.channels.web.greeting,
            allowedOrigins: config.channels.web.allowedOrigins,
          }
        : { greeting: null, allowedOrigins: [] },
    async ready() {
      const checks: Record<string, string> = {};
      try {
        await store.ping();
        checks.database = 'ok';
      } catch (error) {
        checks.database = `failing: ${(error as Error).message}`;
      }
      checks.model = model ? (primarySettings.model ? 'configured' : 'none') : 'none (menu mode)';
      return { ok: checks.database === 'ok', checks };
    },
  });

  const zendesk = startZendesk(
    {
      store,
      live,
      clock,
      logger,
      businessId: business.id,
      config,
      policyFor: (businessId) => handoff.policyFor(businessId),
      pollMs,
    },
    app,
  );
  turnWorker.start();
  outbox.start();
  leads.dispatcher.start();
  meta.start();
  const reminders = startAppointmentReminders({
    store,
    live,
    clock,
    logger,
    business,
    settings: {
      ...config.businessTools?.appointments,
      whatsappReminderTemplate: Boolean(config.channels.whatsapp?.appointmentReminderTemplate),
    },
  });
  let url: string | null = null;
  if (options.listen ?? true) {
    await app.listen({ port: settings.port, host: settings.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    url = `http://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${port}`;
  }

  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    live,
    business,
    url,
    demoOwner,
    turnWorker,
    outbox,
    modelGateway,
    meta,
    close() {
      closing ??= (async () => {
        await app.close();
        teamInbox.stop();
        await summaries.stop();
        await Promise.all([
          turnWorker.stop(),
          outbox.stop(),
          meta.stop(),
          leads.dispatcher.stop(),
          reminders.stop(),
          zendesk.stop(),
        ]);
        await modelGateway.close();
        if (!options.database) await database.close();
      })();
      return closing;
    },
  };
}
