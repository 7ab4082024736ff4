import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import {
  startGraphApiStandIn,
  type GraphApiStandIn,
} from '../../../src/channels/meta/stand-in/graph-api-stand-in.js';
import { signWebhookBody } from '../../../src/channels/meta/webhook-signature.js';
import type { Clock } from '../../../src/core/clock.js';
import type { Message } from '../../../src/core/message.js';
import type { ModelBinding } from '../../../src/core/model.js';
import type { StartParleyOptions } from '../../../src/server/start-parley.js';
import type { Backend, TestDatabase } from '../../support/test-database.js';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import { eventually } from '../../support/eventually.js';
import { META, demoConfigWithMeta } from './meta-accounts.js';

export { META, demoConfigWithMeta };

export type MetaWebhookChannel = 'whatsapp' | 'messenger' | 'instagram';

export interface MetaParley {
  parley: TestParley;
  graph: GraphApiStandIn;
  /** POSTs a webhook signed with the app secret (or `secret`); `body` is sent byte for byte. */
  post(
    channel: MetaWebhookChannel,
    body: unknown,
    options?: { secret?: string | null; signature?: string },
  ): Promise<Response>;
  /** The messages of the contact's conversations on a channel, oldest first. */
  messagesOf(channel: MetaWebhookChannel, externalId: string): Promise<Message[]>;
  /** Waits until every stored webhook was processed. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole Parley (demo business with WhatsApp, Messenger and Instagram connected) over a test
 * database, with the Graph API stand-in in Meta's place.
 */
export async function startMetaParley(
  options: {
    backend?: Backend;
    database?: TestDatabase;
    dataDir?: string;
    model?: ModelBinding | null;
    clock?: Clock;
    graph?: GraphApiStandIn;
    windowClosedTemplate?: boolean;
    overrides?: Partial<StartParleyOptions>;
    env?: Record<string, string>;
  } = {},
): Promise<MetaParley> {
  const graph = options.graph ?? (await startGraphApiStandIn());
  const base = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
  const parley = await startTestParley({
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    model: options.model ?? null,
    env: {
      META_GRAPH_URL: graph.url,
      META_INSTAGRAM_GRAPH_URL: graph.url,
      ...options.env,
    },
    overrides: {
      config: demoConfigWithMeta(base, {
        windowClosedTemplate: options.windowClosedTemplate ?? false,
      }),
      ...(options.clock ? { clock: options.clock } : {}),
      // Pacing is exercised on its own; here a reply's parts go out without waiting 6 s.
      metaChannels: { pacer: { recipientIntervalMs: 10, recipientBurst: 100 } },
      ...options.overrides,
    },
  });

  const messagesOf = async (channel: MetaWebhookChannel, externalId: string) => {
    const { store, business } = parley;
    const contact = await store.contacts.findByIdentity(business.id, { channel, externalId });
    if (!contact) return [];
    const conversations = await store.conversations.listForContact(business.id, contact.id);
    const messages = await Promise.all(
      conversations
        .filter((conversation) => conversation.channel === channel)
        .map((conversation) => store.messages.listForConversation(business.id, conversation.id)),
    );
    return messages.flat().sort((a, b) => a.seq - b.seq);
  };

  return {
    parley,
    graph,
    post(channel, body, postOptions = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const secret = postOptions.secret === undefined ? META.appSecret : postOptions.secret;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (postOptions.signature !== undefined)
        headers['x-hub-signature-256'] = postOptions.signature;
      else if (secret !== null) headers['x-hub-signature-256'] = signWebhookBody(raw, secret);
      return fetch(`${parley.baseUrl}/webhooks/${channel}`, { method: 'POST', headers, body: raw });
    },
    messagesOf,
    drained: () =>
      eventually('the webhook inbox to drain', async () =>
        (await parley.store.webhookInbox.pendingCount()) === 0 ? true : undefined,
      ).then(() => undefined),
    async stop() {
      await parley.stop();
      if (!options.graph) await graph.close();
    },
  };
}
