import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import type { BlobStore, S3BlobSettings } from '../core/blob-store.js';
import { ParleyError } from '../core/errors.js';
import { BLOB_KEY, bareContentType, newBlobKey } from './blob-keys.js';

/**
 * Media in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Ceph…), addressed path-style
 * (`<endpoint>/<bucket>/<key>`, which every one of them serves) and signed with AWS Signature
 * Version 4 by aws4fetch. The object's key is the blob key and its Content-Type the media's, so
 * the bucket holds nothing but the bytes. A PUT is atomic on S3: no half-written object is ever
 * read back.
 */
export function createS3BlobStore(
  settings: S3BlobSettings,
  options: { fetch?: typeof globalThis.fetch } = {},
): BlobStore {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const client = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    service: 's3',
    region: settings.region,
    retries: 0,
  });
  const base = `${settings.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(settings.bucket)}`;
  const objectUrl = (key: string) => `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;

  async function send(url: string, init: RequestInit & { headers?: Record<string, string> }) {
    const request = await client.sign(url, init);
    try {
      return await fetchImpl(request);
    } catch (error) {
      throw new ParleyError(
        'internal',
        `The media bucket at ${settings.endpoint} did not answer (${(error as Error).message}). Check PARLEY_BLOB_S3_ENDPOINT and that the service is up.`,
        { cause: error },
      );
    }
  }

  return {
    async put({ businessId, bytes, contentType }) {
      const type = bareContentType(contentType);
      const key = newBlobKey(businessId, type);
      // The payload's hash is signed too (not UNSIGNED-PAYLOAD): the service rejects bytes that
      // changed on the way.
      const response = await send(objectUrl(key), {
        method: 'PUT',
        body: new Uint8Array(bytes),
        headers: {
          'content-type': type ?? 'application/octet-stream',
          'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
        },
      });
      if (!response.ok) throw s3Failure('store', settings, response, await readS3Error(response));
      await response.body?.cancel();
      return key;
    },
    async get(key) {
      if (!BLOB_KEY.test(key)) return null;
      const response = await send(objectUrl(key), { method: 'GET' });
      if (!response.ok) {
        const problem = await readS3Error(response);
        // A missing object is an unknown key; a missing bucket is a configuration error.
        if (response.status === 404 && problem.code !== 'NoSuchBucket') return null;
        throw s3Failure('read', settings, response, problem);
      }
      const contentType = bareContentType(response.headers.get('content-type'));
      return {
        bytes: new Uint8Array(await response.arrayBuffer()),
        contentType: contentType === 'application/octet-stream' ? null : contentType,
      };
    },
  };
}

/** S3's XML error body: `<Error><Code>…</Code><Message>…</Message></Error>`. */
async function readS3Error(response: Response): Promise<{ code?: string; message?: string }> {
  const body = await response.text().catch(() => '');
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/** A failed request as a ParleyError that says what to check (logged, not shown to clients). */
function s3Failure(
  action: 'store' | 'read',
  settings: S3BlobSettings,
  response: Response,
  { code, message }: { code?: string; message?: string },
): ParleyError {
  const hint =
    code === 'NoSuchBucket'
      ? `Create the bucket "${settings.bucket}" or correct PARLEY_BLOB_S3_BUCKET.`
      : response.status === 403
        ? 'Check PARLEY_BLOB_S3_ACCESS_KEY_ID, PARLEY_BLOB_S3_SECRET_ACCESS_KEY and PARLEY_BLOB_S3_REGION, and that the key may read and write the bucket.'
        : 'Check the media bucket and PARLEY_BLOB_S3_ENDPOINT.';
  return new ParleyError(
    'internal',
    `Could not ${action} media in the bucket "${settings.bucket}": ${response.status}${code ? ` ${code}` : ''}${message ? ` (${message})` : ''}. ${hint}`,
  );
}
