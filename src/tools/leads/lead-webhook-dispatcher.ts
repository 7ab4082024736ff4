import type { Clock } from '../../core/clock.js';
import type { LeadDelivery, LeadWebhook } from '../../core/leads.js';
import type { Store } from '../../core/store.js';
import { LEAD_WEBHOOK_HEADERS, signLeadWebhook } from './sign-lead-webhook.js';

export interface LeadWebhookDispatcherOptions {
  pollMs: number;
  leaseMs: number;
  batchSize: number;
  /** Attempts before a delivery is given up and shown as failed. */
  maxAttempts: number;
  /** Backoff for attempt n: base·2^(n-1), capped, with full jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long the CRM may take to answer one request. */
  timeoutMs: number;
  random?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * Pushes queued lead events to each business's CRM webhook. The events were stored with the
 * lead's change, so a CRM outage or a restart delays a push but never loses it; the receiver
 * tells retries apart by the delivery id header.
 */
export class LeadWebhookDispatcher {
  #stopped = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      webhookFor: (businessId: string) => LeadWebhook | null;
      fetch?: typeof fetch;
    },
    private readonly options: LeadWebhookDispatcherOptions,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let attempted = 0;
      try {
        attempted = await this.dispatchDue();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (attempted === 0 && !this.#stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** Sends what is due now; returns how many deliveries were attempted. */
  async dispatchDue(): Promise<number> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const due = await store.leadDeliveries.claimDue(
      now,
      new Date(now.getTime() + this.options.leaseMs),
      this.options.batchSize,
    );
    await Promise.all(due.map((delivery) => this.#deliver(delivery)));
    return due.length;
  }

  async #deliver(delivery: LeadDelivery): Promise<void> {
    const { store, clock } = this.deps;
    const webhook = this.deps.webhookFor(delivery.businessId);
    if (!webhook) {
      await store.leadDeliveries.markFailed(
        delivery.id,
        'No CRM webhook is configured for this business any more.',
      );
      return;
    }
    const error = await this.#post(webhook, delivery);
    if (error === null) {
      await store.leadDeliveries.markSent(delivery.id);
    } else if (delivery.attempts < this.options.maxAttempts) {
      const delay = this.#backoff(delivery.attempts);
      await store.leadDeliveries.reschedule(
        delivery.id,
        new Date(clock.now().getTime() + delay),
        error,
      );
    } else {
      await store.leadDeliveries.markFailed(delivery.id, error);
    }
  }

  /** Null when the CRM accepted the delivery (any 2xx), else why not. */
  async #post(webhook: LeadWebhook, delivery: LeadDelivery): Promise<string | null> {
    const body = JSON.stringify({
      id: delivery.id,
      event: delivery.event,
      occurredAt: delivery.createdAt.toISOString(),
      data: delivery.payload,
    });
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    try {
      const response = await (this.deps.fetch ?? fetch)(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhooks/1',
          [LEAD_WEBHOOK_HEADERS.signature]: signLeadWebhook(webhook.secret, timestamp, body),
          [LEAD_WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [LEAD_WEBHOOK_HEADERS.event]: delivery.event,
          [LEAD_WEBHOOK_HEADERS.delivery]: delivery.id,
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.body?.cancel();
      return response.ok ? null : `The CRM answered HTTP ${response.status}.`;
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error) : error;
      return `The CRM could not be reached: ${reason instanceof Error ? reason.message : String(reason)}`;
    }
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** (attempt - 1),
    );
    return Math.round((this.options.random ?? Math.random)() * ceiling);
  }
}
