import type { FastifyBaseLogger } from 'fastify';
import type { ChannelSimulator } from '../channels/meta/stand-in/channel-simulator.js';
import type { BlobStore } from '../core/blob-store.js';
import type { WebhookRouteDependencies } from './routes/webhook-routes.js';
import type { Clock } from '../core/clock.js';
import type { HandoffPolicy } from '../core/handoff.js';
import type { IdGenerator } from '../core/ids.js';
import type { LeadSettings } from '../core/leads.js';
import type { LiveEvents } from '../core/live-events.js';
import type { PaymentProvider } from '../core/payments.js';
import type { Presence } from '../core/presence.js';
import type { InboxConfig } from '../config/inbox-config.js';
import type { ShopifySettings } from '../core/shopify-sync.js';
import type { Store } from '../core/store.js';
import type { ModelGateway } from '../models/model-gateway.js';

export interface ServerDependencies {
  store: Store;
  live: LiveEvents;
  clock: Clock;
  ids: IdGenerator;
  logger: FastifyBaseLogger;
  /** Signs web chat visitor tokens; stored in the database so every process shares it. */
  visitorSecret: string;
  /** Where the built console and widget are (`dist/web`); missing files give a helpful page. */
  webRoot: string;
  /** Checks that the database answers, for `/readyz`. */
  ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  /** Per-business web chat settings from its config. */
  webChatFor(businessId: string): { greeting: string | null; allowedOrigins: string[] };
  /** The business this installation was started for: the one `/demo` shows. */
  primaryBusinessId: string;
  /** The business file's handoff policy (a console edit in the database overrides it). */
  handoffFilePolicyFor?: (businessId: string) => HandoffPolicy;
  trustProxy: boolean;
  /** Who of the team is online (live stream or heartbeat), for round-robin and the team page. */
  presence?: Presence;
  /** The business's inbox settings (response target); absent: the defaults. */
  inboxFor?: (businessId: string) => InboxConfig;
  bodyLimitBytes?: number;
  /** WhatsApp, Messenger and Instagram webhooks: routing, secrets and the durable intake. */
  metaWebhooks?: WebhookRouteDependencies;
  /** Customer media downloaded from the channels, for `GET /api/media/...`. */
  mediaBlobs?: BlobStore;
  /** The console's channel simulator (`PARLEY_SIMULATOR`), when on. */
  simulator?: ChannelSimulator;
  /** The business's payment provider, for its signed webhooks (absent: none configured). */
  paymentsFor?(businessId: string): PaymentProvider | null;
  /** The business's lead qualification schema and CRM webhook (absent or null: none). */
  leadSettingsFor?(businessId: string): LeadSettings | null;
  /** The business's Shopify store (the business file's shopify section); absent or null: none. */
  shopifyFor?(businessId: string): ShopifySettings | null;
  /** How Shopify is called (tests pass their own); absent: the global fetch. */
  shopifyFetch?: typeof fetch;
  /** The model gateway of a business (cost API, `/v1` endpoint); absent or null: none. */
  modelGatewayFor?: (businessId: string) => ModelGateway | null;
}
