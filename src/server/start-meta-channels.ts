import type { Logger } from 'pino';
import type { ChannelAlerts } from '../channels/meta/channel-alerts.js';
import { GraphClient } from '../channels/meta/graph-client.js';
import { createMediaDownloader } from '../channels/meta/media-downloader.js';
import { createMessagingSender } from '../channels/meta/messaging-sender.js';
import { createMetaEventHandler } from '../channels/meta/meta-event-handler.js';
import { MetaAccountDirectory } from '../channels/meta/meta-account-directory.js';
import { createReadReceipts } from '../channels/meta/read-receipts.js';
import { createThreadControl } from '../channels/meta/thread-control.js';
import { SendPacer, type SendPacerOptions } from '../channels/meta/send-pacer.js';
import {
  ChannelSimulator,
  simulatedAccounts,
} from '../channels/meta/stand-in/channel-simulator.js';
import { startGraphApiStandIn } from '../channels/meta/stand-in/graph-api-stand-in.js';
import { WebhookIntake } from '../channels/meta/webhook-intake.js';
import { WebhookProcessor } from '../channels/meta/webhook-processor.js';
import { createWhatsAppSender } from '../channels/meta/whatsapp-sender.js';
import type { ServerSettings } from '../config/server-settings.js';
import type { BlobStore } from '../core/blob-store.js';
import type { ChannelSender } from '../core/channel.js';
import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { MetaChannelAccounts } from '../core/meta-accounts.js';
import type { Store } from '../core/store.js';
import type { Transcriber } from '../core/transcriber.js';
import { applyChannelEvent } from '../inbox/apply-channel-event.js';
import { findOrCreateSender } from '../inbox/find-or-create-sender.js';
import { createLocalBlobStore } from '../store/local-blob-store.js';
import { createS3BlobStore } from '../store/s3-blob-store.js';

export interface MetaChannelOptions {
  /** Used for every Graph API call (sends, media); tests inject one. */
  graphFetch?: typeof fetch;
  pacer?: SendPacerOptions;
  blobs?: BlobStore;
  transcriber?: Transcriber | null;
  pollMs?: number;
}

export interface MetaChannels {
  accounts: MetaAccountDirectory;
  senders: ChannelSender[];
  intake: WebhookIntake;
  processor: WebhookProcessor;
  blobs: BlobStore;
  /** The console's channel simulator, when `PARLEY_SIMULATOR` is on. */
  simulator: ChannelSimulator | null;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Voice notes go through the business's model gateway, like any model call (PARLEY_TRANSCRIPTION_URL
 * is a shorthand for its `transcription` route); null when no business has a route.
 */
function gatewayTranscriber(
  businesses: ReadonlyArray<{ businessId: string }>,
  transcriberFor: ((businessId: string) => Transcriber | null) | undefined,
): Transcriber | null {
  if (!transcriberFor || !businesses.some(({ businessId }) => transcriberFor(businessId))) {
    return null;
  }
  return {
    transcribe(input) {
      const routed = input.businessId ? transcriberFor(input.businessId) : null;
      if (!routed) {
        return Promise.reject(
          new Error('this business routes no model to transcription (models.tasks.transcription)'),
        );
      }
      return routed.transcribe(input);
    },
  };
}

/**
 * Wires WhatsApp, Messenger and Instagram: the account directory (routing), Graph API client,
 * pacing, senders for the outbox, and the webhook intake and processor around the inbox.
 */
export async function createMetaChannels(input: {
  store: Store;
  live: LiveEvents;
  clock: Clock;
  logger: Logger;
  settings: ServerSettings;
  businesses: ReadonlyArray<{ businessId: string; accounts: MetaChannelAccounts }>;
  /**
   * PGlite runs one query at a time: a single processing transaction in flight leaves room for
   * the intake's inserts, so acknowledgements stay fast while a backlog is worked off.
   */
  databaseKind: 'pglite' | 'postgres';
  /** Speech to text of each business's model gateway (its `transcription` route), if any. */
  transcriberFor?: (businessId: string) => Transcriber | null;
  options?: MetaChannelOptions;
}): Promise<MetaChannels> {
  const { store, live, clock, logger, settings } = input;
  const options = input.options ?? {};
  // The simulator puts a local stand-in in Meta's place for every channel: nothing reaches Meta.
  const standIn = settings.simulator ? await startGraphApiStandIn() : null;
  if (standIn) logger.warn({ graphUrl: standIn.url }, 'channel simulator on: Meta is not called');
  const accounts = new MetaAccountDirectory();
  for (const { businessId, accounts: connected } of input.businesses) {
    accounts.register(businessId, standIn ? simulatedAccounts(connected) : connected);
  }
  const endpoints = standIn
    ? { ...settings.meta, graphUrl: standIn.url, instagramGraphUrl: standIn.url }
    : settings.meta;
  const graph = new GraphClient(endpoints, options.graphFetch ? { fetch: options.graphFetch } : {});
  const pacer = new SendPacer(clock, options.pacer);
  const alerts: ChannelAlerts = {
    alert({ businessId, channel, code, message }) {
      logger.error({ businessId, channel, code }, message);
      store.audit
        .record({
          businessId,
          actorType: 'system',
          actorId: null,
          action: 'channel.alert',
          subjectType: 'channel',
          subjectId: channel,
          details: { code, message },
        })
        .catch((error: unknown) =>
          logger.error({ err: error }, 'could not record a channel alert'),
        );
    },
  };
  const readReceipts = createReadReceipts({ graph, accounts });
  const senderDeps = { store, graph, accounts, pacer, alerts, clock, readReceipts };
  const senders = [
    createWhatsAppSender(senderDeps),
    createMessagingSender('messenger', senderDeps),
    createMessagingSender('instagram', senderDeps),
  ];

  const blobs =
    options.blobs ??
    (settings.blobS3 ? createS3BlobStore(settings.blobS3) : createLocalBlobStore(settings.blobDir));
  const transcriber =
    options.transcriber !== undefined
      ? options.transcriber
      : gatewayTranscriber(input.businesses, input.transcriberFor);
  const handle = createMetaEventHandler({
    store,
    apply: (businessId, event) => applyChannelEvent({ store, live, clock }, businessId, event),
    senderContact: async (businessId, event) =>
      (
        await findOrCreateSender(store, {
          businessId,
          channel: event.channel,
          senderId: event.senderId,
          alternateSenderIds: event.alternateSenderIds,
          senderProfile: event.profile,
        })
      ).id,
    downloadMedia: createMediaDownloader({
      graph,
      accounts,
      blobs,
      transcriber,
      onProblem: (problem) => logger.warn({ problem }, 'inbound media'),
    }),
    readReceipts,
    onProblem: (problem, details) => logger.warn(details, problem),
  });
  let intake: WebhookIntake | null = null;
  const processor = new WebhookProcessor(
    {
      store,
      clock,
      accounts,
      handle,
      log: logger,
      // PGlite shares this thread with the HTTP server: acknowledging comes first.
      ...(input.databaseKind === 'pglite' ? { intakeBusy: () => intake?.isBusy() ?? false } : {}),
    },
    {
      batchSize: 50,
      leaseMs: 60_000,
      pollMs: options.pollMs ?? 1_000,
      concurrency: input.databaseKind === 'pglite' ? 1 : 4,
      maxAttempts: 10,
      backoffBaseMs: 2_000,
      backoffMaxMs: 10 * 60_000,
    },
  );
  intake = new WebhookIntake({ store, clock, onAppended: () => processor.wake() });
  const applyHolderChange = createThreadControl({ store, graph, accounts, alerts });
  let threadChanges: Promise<unknown> = Promise.resolve();
  const stopThreadControl = live.subscribe((event) => {
    if (event.type !== 'conversation-updated' || !event.holderChange) return;
    const change = { ...event.holderChange, businessId: event.businessId };
    // One at a time, in the order people acted: a quick take-over then hand-back stays in order.
    threadChanges = threadChanges
      .then(() => applyHolderChange({ ...change, conversationId: event.conversationId }))
      .catch((error: unknown) => logger.error({ err: error }, 'thread control failed'));
  });
  const first = input.businesses[0];
  const simulator =
    standIn && first
      ? new ChannelSimulator({ graph: standIn, accounts, businessId: first.businessId })
      : null;
  return {
    accounts,
    senders,
    intake,
    processor,
    blobs,
    simulator,
    start: () => processor.start(),
    async stop() {
      stopThreadControl();
      await threadChanges;
      simulator?.stop();
      await processor.stop();
      await standIn?.close();
    },
  };
}
