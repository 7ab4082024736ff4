import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BlobStore } from '../../core/blob-store.js';
import { notFound } from '../../core/errors.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';

/**
 * `GET /api/media/:businessId/:blobId`: a customer's photo, voice note or document, as downloaded
 * from the channel (the `blobKey` of a message's media part). Only members of that business.
 */
export function registerMediaRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  blobs: BlobStore,
): void {
  api.register(app, {
    method: 'GET',
    url: '/api/media/:businessId/:blobId',
    summary: "A message's downloaded media (its part's blobKey)",
    tag: 'conversations',
    auth: 'member',
    params: z.object({
      businessId: z.uuid(),
      blobId: z.string().regex(/^[0-9a-f-]{36}(\.[a-z0-9]{1,8})?$/, 'must be a blob id'),
    }),
    responses: {
      200: { description: 'The bytes, with their content type' },
      404: { description: 'No such media in this business', schema: errorSchema },
    },
    async handler({ params, principal, reply }) {
      // Another business's media is "not found", never "forbidden": ids are not confirmed.
      if (params.businessId !== principal.businessId) throw notFound('Media');
      const blob = await blobs.get(`${params.businessId}/${params.blobId}`);
      if (!blob) throw notFound('Media');
      return reply
        .header('cache-control', 'private, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .type(blob.contentType ?? 'application/octet-stream')
        .send(Buffer.from(blob.bytes));
    },
  });
}
