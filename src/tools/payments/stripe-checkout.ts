import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { ParleyError } from '../../core/errors.js';
import type { PaymentEvent, PaymentProvider } from '../../core/payments.js';

export interface StripeCheckoutSettings {
  /** `sk_live_…` / `sk_test_…`. */
  secretKey: string;
  /** The webhook endpoint's signing secret, `whsec_…`. */
  webhookSecret: string;
  /** `https://api.stripe.com`, or a stand-in in tests. */
  apiBaseUrl: string;
  /** Where Checkout pages live (`https://checkout.stripe.com`): the links replies may carry. */
  checkoutOrigin: string;
  successUrl: string;
  cancelUrl: string;
  clock: Clock;
  fetch?: typeof fetch;
}

// Stripe's default tolerance for webhook timestamps (replay protection), in seconds.
const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Stripe Checkout, from Stripe's documented API: `POST /v1/checkout/sessions` (form-encoded,
 * bearer secret key, `Idempotency-Key`) and webhooks signed in `Stripe-Signature: t=…,v1=…`,
 * where v1 is HMAC-SHA256 of `${t}.${raw body}` with the endpoint secret.
 */
export function createStripeCheckout(settings: StripeCheckoutSettings): PaymentProvider {
  const fetchImpl = settings.fetch ?? fetch;
  const base = settings.apiBaseUrl.replace(/\/+$/, '');
  return {
    name: 'stripe',
    linkOrigins: [settings.checkoutOrigin],
    async createCheckout(request) {
      const form = new URLSearchParams();
      form.set('mode', 'payment');
      form.set('success_url', settings.successUrl);
      form.set('cancel_url', settings.cancelUrl);
      form.set('client_reference_id', request.orderId);
      form.set('metadata[order_id]', request.orderId);
      form.set('metadata[business_id]', request.businessId);
      form.set('metadata[order_number]', String(request.orderNumber));
      request.lines.forEach((line, index) => {
        const prefix = `line_items[${index}]`;
        form.set(`${prefix}[quantity]`, String(line.quantity));
        form.set(`${prefix}[price_data][currency]`, request.currency.toLowerCase());
        form.set(`${prefix}[price_data][unit_amount]`, String(line.unitAmountMinor));
        form.set(`${prefix}[price_data][product_data][name]`, line.name);
      });
      let response: Response;
      try {
        response = await fetchImpl(`${base}/v1/checkout/sessions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${settings.secretKey}`,
            'content-type': 'application/x-www-form-urlencoded',
            'idempotency-key': request.idempotencyKey,
          },
          body: form.toString(),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new ParleyError(
          'internal',
          `Stripe could not be reached at ${base}: ${(error as Error).message}.`,
          { cause: error, expose: false },
        );
      }
      const body = (await response.json().catch(() => null)) as {
        id?: unknown;
        url?: unknown;
        error?: { message?: string };
      } | null;
      if (!response.ok || typeof body?.id !== 'string' || typeof body.url !== 'string') {
        throw new ParleyError(
          'internal',
          `Stripe refused the checkout session (HTTP ${response.status}): ${body?.error?.message ?? 'no session in the answer'}. Check the secret key in the payments section.`,
          { expose: false },
        );
      }
      return { provider: 'stripe', sessionId: body.id, url: body.url };
    },
    readWebhook(rawBody, headers) {
      verifySignature(rawBody, headers['stripe-signature'], settings);
      let event: { id?: unknown; type?: unknown; data?: { object?: Record<string, unknown> } };
      try {
        event = JSON.parse(rawBody) as typeof event;
      } catch (error) {
        throw new ParleyError('validation_failed', 'The webhook body is not JSON.', {
          cause: error,
        });
      }
      const eventId = typeof event.id === 'string' ? event.id : '';
      const type = typeof event.type === 'string' ? event.type : '';
      const session = event.data?.object ?? {};
      const sessionId = typeof session.id === 'string' ? session.id : '';
      const metadata = (session.metadata ?? {}) as Record<string, unknown>;
      const orderId =
        typeof metadata.order_id === 'string'
          ? metadata.order_id
          : typeof session.client_reference_id === 'string'
            ? session.client_reference_id
            : null;
      const businessId = typeof metadata.business_id === 'string' ? metadata.business_id : null;
      const paid =
        (type === 'checkout.session.completed' && session.payment_status === 'paid') ||
        type === 'checkout.session.async_payment_succeeded';
      if (paid && sessionId)
        return { kind: 'checkout-paid', eventId, sessionId, orderId, businessId };
      if (type === 'checkout.session.expired' && sessionId) {
        return { kind: 'checkout-expired', eventId, sessionId, orderId, businessId };
      }
      return { kind: 'ignored', eventId, type } satisfies PaymentEvent;
    },
  };
}

/** The `Stripe-Signature` header value for `rawBody`: what Stripe sends, and what tests send. */
export function signStripePayload(
  rawBody: string,
  secret: string,
  timestampSeconds: number,
): string {
  const signature = createHmac('sha256', secret)
    .update(`${timestampSeconds}.${rawBody}`, 'utf8')
    .digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

function verifySignature(
  rawBody: string,
  header: string | undefined,
  settings: Pick<StripeCheckoutSettings, 'webhookSecret' | 'clock'>,
): void {
  const unauthorized = (why: string) =>
    new ParleyError('unauthorized', `The Stripe webhook was rejected: ${why}.`);
  if (!header) throw unauthorized('no Stripe-Signature header');
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const [key, value] = item.split('=', 2).map((part) => part.trim());
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && value) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) throw unauthorized('a malformed signature');
  const age = Math.abs(settings.clock.now().getTime() / 1000 - timestamp);
  if (age > SIGNATURE_TOLERANCE_SECONDS) throw unauthorized('its timestamp is too old');
  const expected = Buffer.from(
    createHmac('sha256', settings.webhookSecret)
      .update(`${timestamp}.${rawBody}`, 'utf8')
      .digest('hex'),
  );
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw unauthorized('the signature does not match (check the webhook secret)');
}
