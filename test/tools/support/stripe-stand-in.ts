import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { signStripePayload } from '../../../src/tools/payments/stripe-checkout.js';

export interface StandInSession {
  id: string;
  url: string;
  form: URLSearchParams;
  idempotencyKey: string | null;
}

export interface StripeStandIn {
  baseUrl: string;
  checkoutOrigin: string;
  secretKey: string;
  webhookSecret: string;
  sessions: StandInSession[];
  /** Makes the next create calls fail with this HTTP status (Stripe's error body shape). */
  failNext(status: number, times?: number): void;
  /** A signed `checkout.session.completed` (or other) event, as Stripe would POST it. */
  event(
    type: string,
    session: StandInSession,
    options?: { paymentStatus?: string; timestampSeconds?: number; secret?: string },
  ): { body: string; signature: string };
  close(): Promise<void>;
}

/**
 * A stand-in for Stripe built from its documented API: `POST /v1/checkout/sessions` takes a
 * form-encoded body with a bearer secret key and an optional Idempotency-Key (a repeated key
 * returns the first session), answering a Checkout Session object with `id` and `url`.
 */
export async function startStripeStandIn(): Promise<StripeStandIn> {
  const secretKey = `sk_test_${randomBytes(8).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(12).toString('hex')}`;
  const sessions: StandInSession[] = [];
  const byKey = new Map<string, StandInSession>();
  let failures: { status: number; left: number } | null = null;
  let checkoutOrigin = '';

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (request.method !== 'POST' || request.url !== '/v1/checkout/sessions') {
        return send(404, {
          error: { type: 'invalid_request_error', message: 'Unrecognized request URL' },
        });
      }
      if (request.headers.authorization !== `Bearer ${secretKey}`) {
        return send(401, {
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
        });
      }
      if (failures && failures.left > 0) {
        failures.left--;
        return send(failures.status, { error: { type: 'api_error', message: 'stand-in failure' } });
      }
      const form = new URLSearchParams(body);
      for (const required of ['mode', 'success_url', 'line_items[0][quantity]']) {
        if (!form.get(required)) {
          return send(400, {
            error: {
              type: 'invalid_request_error',
              message: `Missing required param: ${required}.`,
            },
          });
        }
      }
      const key = (request.headers['idempotency-key'] as string | undefined) ?? null;
      const earlier = key ? byKey.get(key) : undefined;
      if (earlier) return send(200, sessionObject(earlier));
      const id = `cs_test_${randomBytes(12).toString('hex')}`;
      const session = { id, url: `${checkoutOrigin}/c/pay/${id}`, form, idempotencyKey: key };
      sessions.push(session);
      if (key) byKey.set(key, session);
      return send(200, sessionObject(session));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  // Checkout pages on their own host, as checkout.stripe.com is apart from api.stripe.com.
  checkoutOrigin = `http://localhost:${port}`;
  return {
    baseUrl,
    checkoutOrigin,
    secretKey,
    webhookSecret,
    sessions,
    failNext(status, times = 1) {
      failures = { status, left: times };
    },
    event(type, session, options = {}) {
      const body = JSON.stringify({
        id: `evt_${randomBytes(8).toString('hex')}`,
        object: 'event',
        type,
        data: {
          object: {
            id: session.id,
            object: 'checkout.session',
            client_reference_id: session.form.get('client_reference_id'),
            metadata: {
              order_id: session.form.get('metadata[order_id]'),
              business_id: session.form.get('metadata[business_id]'),
            },
            payment_status: options.paymentStatus ?? 'paid',
          },
        },
      });
      const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
      return {
        body,
        signature: signStripePayload(body, options.secret ?? webhookSecret, timestamp),
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function sessionObject(session: StandInSession) {
  return {
    id: session.id,
    object: 'checkout.session',
    mode: session.form.get('mode'),
    url: session.url,
    payment_status: 'unpaid',
    status: 'open',
    client_reference_id: session.form.get('client_reference_id'),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
