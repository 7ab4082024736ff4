import type { FastifyInstance } from 'fastify';
import { notFound } from '../../core/errors.js';
import type { Helpdesk, HelpdeskComment } from '../../core/helpdesk.js';

const BUSINESS_ID = /^[0-9a-f-]{36}$/;

/**
 * Zendesk's webhook: `POST /webhooks/zendesk/:businessId`, with the body of the trigger in
 * docs/zendesk.md. The signature covers the raw body, so this scope reads bodies as strings.
 * A bad signature is a 401 and writes nothing.
 */
export function registerZendeskRoutes(
  app: FastifyInstance,
  deps: {
    helpdeskFor(businessId: string): Helpdesk | null;
    receive(
      businessId: string,
      comment: HelpdeskComment & { own: boolean },
    ): Promise<{ result: string; reason?: string; messageId?: string }>;
  },
): void {
  void app.register((scope, _options, done) => {
    scope.removeContentTypeParser(['application/json']);
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, parsed) =>
      parsed(null, body),
    );
    scope.post<{ Params: { businessId: string } }>(
      '/webhooks/zendesk/:businessId',
      async (request) => {
        const { businessId } = request.params;
        const helpdesk = BUSINESS_ID.test(businessId) ? deps.helpdeskFor(businessId) : null;
        if (!helpdesk) throw notFound('This Zendesk webhook');
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(',') : value,
          ]),
        );
        const rawBody = typeof request.body === 'string' ? request.body : '';
        const comment = helpdesk.parseWebhook({ headers, rawBody });
        return deps.receive(businessId, { ...comment, own: helpdesk.isOwnComment(comment) });
      },
    );
    done();
  });
}
