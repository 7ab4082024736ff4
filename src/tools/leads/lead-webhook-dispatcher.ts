import type { LookupAddress } from 'node:dns';
import type { Clock } from '../../core/clock.js';
import { ParleyError } from '../../core/errors.js';
import type { LeadDelivery, LeadWebhook } from '../../core/leads.js';
import type { Store } from '../../core/store.js';
import { WakeSignal } from '../../core/wake-signal.js';
import { createGuardedFetch } from '../../net/guarded-fetch.js';
import { obviouslyPrivateHost } from '../../net/public-address.js';
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

const PRIVATE_HINT =
  'Parley pushes leads only to public addresses. For a CRM on your own network, set allowPrivateNetwork: true under leads.webhook in the business file.';

/**
 * The CRM's URL as the business file gives it: literal private addresses are refused before any
 * request, and (unless the operator allowed a private network) the connection may only reach a
 * public address, checked when connecting so a name that resolves inside is refused too.
 */
function checkWebhookUrl(allowPrivateNetwork: boolean) {
  return (url: string) => {
    const inner = allowPrivateNetwork ? null : obviouslyPrivateHost(new URL(url));
    if (inner) {
      throw new ParleyError('validation_failed', `${url} points at ${inner}: ${PRIVATE_HINT}`);
    }
    return { trusted: allowPrivateNetwork };
  };
}

/**
 * Pushes queued lead events to each business's CRM webhook. The events were stored with the
 * lead's change, so a CRM outage or a restart delays a push but never loses it; the receiver
 * tells retries apart by the delivery id header. Redirects are not followed (a 3xx is a failed
 * attempt): a signed POST goes only to the URL the business configured.
 */
export class LeadWebhookDispatcher {
  #stopped = false;
  #loop: Promise<void> | null = null;
  readonly #signal = new WakeSignal();

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      webhookFor: (businessId: string) => LeadWebhook | null;
      /** The transport under the address guard (tests); the guard itself always applies. */
      fetch?: typeof fetch;
      /** Resolves the CRM's host when connecting (the system resolver unless a test injects one). */
      resolveHost?: (hostname: string) => Promise<LookupAddress[]>;
    },
    private readonly options: LeadWebhookDispatcherOptions,
  ) {}

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#signal.wake();
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
        await this.#signal.sleep(this.options.pollMs);
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
      const response = await this.#fetchFor(webhook)(webhook.url, {
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
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (response.ok) return null;
      return response.status >= 300 && response.status < 400
        ? `The CRM answered HTTP ${response.status}, a redirect; Parley does not follow redirects of signed webhooks. Configure the URL it redirects to.`
        : `The CRM answered HTTP ${response.status}.`;
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error) : error;
      return `The CRM could not be reached: ${reason instanceof Error ? reason.message : String(reason)}`;
    }
  }

  // One guarded fetch per kind of webhook, so connections are pooled across deliveries.
  readonly #fetches = new Map<boolean, typeof fetch>();

  #fetchFor(webhook: LeadWebhook): typeof fetch {
    const trusted = webhook.allowPrivateNetwork;
    let send = this.#fetches.get(trusted);
    if (!send) {
      const checkUrl = checkWebhookUrl(trusted);
      send = this.deps.fetch
        ? guardedBy(checkUrl, this.deps.fetch)
        : createGuardedFetch({
            checkUrl,
            maxRedirects: 0,
            privateHint: PRIVATE_HINT,
            ...(this.deps.resolveHost ? { resolve: this.deps.resolveHost } : {}),
          });
      this.#fetches.set(trusted, send);
    }
    return send;
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffBaseMs * 2 ** (attempt - 1),
    );
    return Math.round((this.options.random ?? Math.random)() * ceiling);
  }
}

/** An injected transport with the URL check in front (it cannot guard the connection itself). */
function guardedBy(check: (url: string) => unknown, transport: typeof fetch): typeof fetch {
  return (input, init) => {
    check(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return transport(input, init);
  };
}
