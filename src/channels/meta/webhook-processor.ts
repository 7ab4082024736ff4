import type { ChannelEvent } from '../../core/channel-event.js';
import type { Clock } from '../../core/clock.js';
import type { StoredWebhook } from '../../core/channel-store.js';
import type { Store } from '../../core/store.js';
import { WakeSignal } from '../../core/wake-signal.js';
import type { MetaAccountDirectory, MetaChannel } from './meta-account-directory.js';
import { parseMessagingWebhook } from './messaging-webhook-parser.js';
import { parseWhatsAppWebhook, type ParsedWebhook } from './whatsapp-webhook-parser.js';

export interface WebhookProcessorLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface WebhookProcessorDependencies {
  store: Store;
  clock: Clock;
  accounts: MetaAccountDirectory;
  /** Applies one routed event (the composition root binds the inbox use-cases). */
  handle(businessId: string, event: ChannelEvent): Promise<void>;
  /**
   * True while acknowledging needs the process (webhooks arriving): processing then goes in small
   * slices with pauses, so acknowledgements stay fast and the backlog waits durably in the inbox.
   */
  intakeBusy?: () => boolean;
  log: WebhookProcessorLog;
}

export interface WebhookProcessorOptions {
  batchSize: number;
  leaseMs: number;
  pollMs: number;
  /** Customers processed at once; one customer's events always run in order. */
  concurrency: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** While webhooks pour in: this many per slice, then a pause for the intake. */
const YIELDING_BATCH = 10;
const YIELD_PAUSE_MS = 50;

const KEEP_PROCESSED_MS = 8 * 24 * 60 * 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

interface RoutedEvent {
  webhook: StoredWebhook;
  businessId: string;
  event: ChannelEvent;
}

/**
 * Processes the webhook inbox after the 200 was sent: parses each stored body, routes every event
 * to its business by the account id (an unknown one is logged and skipped), and applies it. A
 * webhook whose events fail is retried with backoff; effects are idempotent (provider ids), so a
 * retry or Meta's own redelivery has no second effect.
 */
export class WebhookProcessor {
  #stopped = false;
  #loop: Promise<void> | null = null;
  #prunedAt = 0;
  readonly #signal = new WakeSignal();

  constructor(
    private readonly deps: WebhookProcessorDependencies,
    private readonly options: WebhookProcessorOptions,
  ) {}

  start(): void {
    this.#stopped = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.wake();
    await this.#loop;
  }

  /** New webhooks were appended: look now rather than at the next poll. */
  wake(): void {
    this.#signal.wake();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let processed = 0;
      const yielding = this.deps.intakeBusy?.() ?? false;
      try {
        processed = await this.processDue(yielding ? YIELDING_BATCH : this.options.batchSize);
      } catch (error) {
        this.deps.log.error({ err: error }, 'webhook processing failed');
      }
      if (this.#stopped) break;
      if (processed === 0) {
        await this.#prune();
        await this.#signal.sleep(this.options.pollMs);
      } else if (yielding) await new Promise((resolve) => setTimeout(resolve, YIELD_PAUSE_MS));
    }
  }

  /** Processes the webhooks due now (at most `limit`); returns how many were claimed. */
  async processDue(limit = this.options.batchSize): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const webhooks = await store.webhookInbox.claimDue(
      now,
      new Date(now.getTime() + this.options.leaseMs),
      limit,
    );
    if (webhooks.length === 0) return 0;

    const failures = new Map<string, string>();
    const unreadable = new Set<string>();
    const routed: RoutedEvent[] = [];
    for (const webhook of webhooks) {
      const parsed = this.#parse(webhook);
      if (!parsed.ok) {
        // Signed by Meta yet unreadable: retrying cannot help; keep it for inspection.
        this.deps.log.warn({ webhookId: webhook.id, problem: parsed.error }, 'unreadable webhook');
        await store.webhookInbox.markFailed(webhook.id, parsed.error);
        unreadable.add(webhook.id);
        continue;
      }
      routed.push(...this.#route(webhook, parsed.events));
    }

    const queues = new Map<string, RoutedEvent[]>();
    for (const item of routed) {
      const key = `${item.businessId}:${orderingKey(item.event)}`;
      queues.set(key, [...(queues.get(key) ?? []), item]);
    }
    const pending = [...queues.values()];
    const workers = Array.from(
      { length: Math.min(this.options.concurrency, pending.length) },
      async () => {
        for (let queue = pending.shift(); queue; queue = pending.shift()) {
          for (const item of queue) {
            if (failures.has(item.webhook.id)) continue;
            try {
              await this.deps.handle(item.businessId, item.event);
            } catch (error) {
              failures.set(item.webhook.id, error instanceof Error ? error.message : String(error));
              this.deps.log.error(
                { err: error, webhookId: item.webhook.id, kind: item.event.kind },
                'applying a webhook event failed; it will be retried',
              );
            }
          }
        }
      },
    );
    await Promise.all(workers);

    const processed = webhooks.filter(
      (webhook) => !failures.has(webhook.id) && !unreadable.has(webhook.id),
    );
    await store.webhookInbox.markProcessed(
      processed.map((webhook) => webhook.id),
      clock.now(),
    );
    for (const webhook of webhooks) {
      const failure = failures.get(webhook.id);
      if (failure === undefined) {
        continue;
      } else if (webhook.attempts >= this.options.maxAttempts) {
        await store.webhookInbox.markFailed(webhook.id, failure);
      } else {
        await store.webhookInbox.reschedule(
          webhook.id,
          new Date(clock.now().getTime() + this.#backoff(webhook.attempts)),
          failure,
        );
      }
    }
    return webhooks.length;
  }

  #parse(webhook: StoredWebhook): ParsedWebhook {
    const channel = webhook.channel as MetaChannel;
    if (channel === 'whatsapp') return parseWhatsAppWebhook(webhook.body, webhook.receivedAt);
    if (channel === 'messenger' || channel === 'instagram') {
      return parseMessagingWebhook(channel, webhook.body, webhook.receivedAt);
    }
    return { ok: false, error: `no parser for channel ${webhook.channel}` };
  }

  #route(webhook: StoredWebhook, events: ChannelEvent[]): RoutedEvent[] {
    const routed: RoutedEvent[] = [];
    for (const event of events) {
      if (event.kind === 'ignored') continue;
      const businessId = this.deps.accounts.businessFor(
        event.channel as MetaChannel,
        event.accountId,
      );
      if (!businessId) {
        this.deps.log.warn(
          {
            webhookId: webhook.id,
            channel: event.channel,
            accountId: event.accountId,
            kind: event.kind,
          },
          'webhook for an account no business has connected; skipped',
        );
        continue;
      }
      if (event.kind === 'provider-error') {
        this.deps.log.warn(
          { webhookId: webhook.id, businessId, errors: event.errors },
          'the provider reported errors',
        );
        continue;
      }
      routed.push({ webhook, businessId, event });
    }
    // Meta does not promise order across POSTs; the provider's timestamps put a customer's
    // messages back in the order they were written (stable for equal timestamps).
    return routed.sort((left, right) => eventTime(left.event) - eventTime(right.event));
  }

  /**
   * Processed webhooks are kept while Meta may still redeliver them (7 days), for inspection, then
   * deleted: deduplication lives on the stored messages, not here. Failed ones stay.
   */
  async #prune(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    try {
      await this.deps.store.webhookInbox.pruneProcessed(new Date(now - KEEP_PROCESSED_MS));
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not prune processed webhooks');
    }
  }

  #backoff(attempt: number): number {
    return Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (attempt - 1));
  }
}

/** Events about one customer run in order; different customers run in parallel. */
function orderingKey(event: ChannelEvent): string {
  switch (event.kind) {
    case 'message':
      return `${event.channel}:${event.senderId}`;
    case 'identity-change':
      return `${event.channel}:${event.senderId}`;
    case 'echo':
    case 'watermark':
      return `${event.channel}:${event.recipientId}`;
    case 'status':
      return `${event.channel}:status:${event.recipientId ?? ''}`;
    default:
      return event.channel;
  }
}

function eventTime(event: ChannelEvent): number {
  switch (event.kind) {
    case 'message':
    case 'echo':
      return event.sentAt.getTime();
    case 'status':
    case 'identity-change':
      return event.at.getTime();
    case 'watermark':
      return event.watermark.getTime();
    default:
      return 0;
  }
}
