import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.js';
import { applyPaymentEvent } from '../../tools/orders/apply-payment-event.js';
import type { ServerDependencies } from '../server-dependencies.js';

const BUSINESS_ID = /^[0-9a-f-]{36}$/;

/**
 * Payment providers' webhooks: `POST /webhooks/payments/:businessId/:provider`. The signature
 * covers the raw body byte for byte, so this scope reads bodies as strings and never re-encodes.
 */
export function registerPaymentWebhookRoutes(app: FastifyInstance, deps: ServerDependencies): void {
  void app.register((scope, _options, done) => {
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, parsed) =>
      parsed(null, body),
    );
    scope.post<{ Params: { businessId: string; provider: string } }>(
      '/webhooks/payments/:businessId/:provider',
      async (request) => {
        const { businessId, provider: providerName } = request.params;
        const provider = BUSINESS_ID.test(businessId) ? deps.paymentsFor?.(businessId) : null;
        if (!provider || provider.name !== providerName) throw notFound('This payment webhook');
        const rawBody = typeof request.body === 'string' ? request.body : '';
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(',') : value,
          ]),
        );
        const event = provider.readWebhook(rawBody, headers);
        // Acknowledged even when it names no order of this business, so the provider stops
        // retrying; such an event changes nothing.
        const applied = await applyPaymentEvent(deps, businessId, provider.name, event);
        const order = applied?.order ?? null;
        return {
          received: true,
          ...(order ? { orderNumber: order.number, status: order.status } : {}),
        };
      },
    );
    done();
  });
}
