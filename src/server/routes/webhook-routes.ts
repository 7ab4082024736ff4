import type { FastifyInstance } from 'fastify';
import {
  META_CHANNELS,
  type MetaAccountDirectory,
} from '../../channels/meta/meta-account-directory.js';
import type { WebhookIntake } from '../../channels/meta/webhook-intake.js';
import {
  isValidWebhookSignature,
  verificationChallenge,
} from '../../channels/meta/webhook-signature.js';
import { ParleyError } from '../../core/errors.js';

/** Meta batches up to 1,000 updates in a POST of up to 3 MB. */
const WEBHOOK_BODY_LIMIT = 4 * 1024 * 1024;

export interface WebhookRouteDependencies {
  accounts: MetaAccountDirectory;
  intake: WebhookIntake;
}

/**
 * `GET|POST /webhooks/whatsapp|messenger|instagram`. The GET answers Meta's verification; the
 * POST checks `X-Hub-Signature-256` over the raw bytes, appends the body to the durable inbox and
 * only then answers 200. Nothing is parsed or processed here: acknowledging never waits for the
 * agent, and Meta's median-latency expectation (≤ 250 ms) holds under load.
 */
export async function registerWebhookRoutes(
  app: FastifyInstance,
  deps: WebhookRouteDependencies,
): Promise<void> {
  // Encapsulated: only these routes receive the body as raw bytes (the signature covers them).
  await app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    for (const channel of META_CHANNELS) {
      scope.get(`/webhooks/${channel}`, async (request, reply) => {
        const challenge = verificationChallenge(
          request.query as Record<string, unknown>,
          deps.accounts.verifyTokens(channel),
        );
        if (challenge === null) {
          throw new ParleyError(
            'forbidden',
            `The verify token does not match any configured for ${channel}. Set the same verify token in Meta's App Dashboard and in channels.${channel}.verifyToken.`,
          );
        }
        return reply.code(200).type('text/plain; charset=utf-8').send(challenge);
      });

      scope.post(`/webhooks/${channel}`, async (request, reply) => {
        const secrets = deps.accounts.appSecrets(channel);
        if (secrets.length === 0) {
          throw new ParleyError(
            'not_found',
            `No business has connected ${channel}. Add channels.${channel} to the business file.`,
          );
        }
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['x-hub-signature-256'];
        if (
          !isValidWebhookSignature(
            body,
            typeof signature === 'string' ? signature : undefined,
            secrets,
          )
        ) {
          throw new ParleyError(
            'unauthorized',
            'The X-Hub-Signature-256 header is missing or does not match the body. Check that the app secret in the business file is the one of the Meta app sending these webhooks.',
          );
        }
        await deps.intake.accept(channel, body.toString('utf8'));
        return reply.code(200).type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
      });
    }
    done();
  });
}
