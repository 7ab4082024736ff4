import { createHash, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerSettings } from '../../src/config/server-settings.js';
import type { MessagePart } from '../../src/core/message.js';
import { createS3BlobStore } from '../../src/store/s3-blob-store.js';
import { configError } from '../config/config-errors.js';
import { backends } from '../support/test-database.js';
import { contactEntry, inbound, whatsappWebhook } from './fixtures/whatsapp-webhooks.js';
import { consoleApi } from './support/console-api.js';
import { startMetaParley, type MetaParley } from './support/meta-parley.js';
import { startS3StandIn } from './support/s3-stand-in.js';

const BUCKET = {
  bucket: 'parley-media',
  region: 'eu-west-1',
  accessKeyId: 'AKIAPARLEYTEST',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

describe('the S3-compatible blob store', () => {
  let s3: Awaited<ReturnType<typeof startS3StandIn>>;
  beforeAll(async () => {
    s3 = await startS3StandIn(BUCKET);
  });
  afterAll(async () => {
    await s3.close();
  });
  const store = (overrides: Partial<typeof BUCKET> = {}) =>
    createS3BlobStore({ endpoint: s3.endpoint, ...BUCKET, ...overrides });

  it('stores media path-style with a SigV4-signed PUT (payload hash signed) and reads it back', async () => {
    const businessId = randomUUID();
    const key = await store().put({
      businessId,
      bytes: PHOTO,
      contentType: 'image/jpeg; charset=binary',
    });
    expect(key).toMatch(new RegExp(`^${businessId}/[0-9a-f-]{36}\\.jpg$`));
    expect(s3.objects.get(key)).toEqual({
      bytes: Buffer.from(PHOTO),
      contentType: 'image/jpeg',
    });
    const put = s3.requests.find((request) => request.method === 'PUT')!;
    expect(put.path).toBe(`/parley-media/${key}`);
    expect(put.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAPARLEYTEST\/\d{8}\/eu-west-1\/s3\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/,
    );
    expect(put.signedHeaders).toEqual(['host', 'x-amz-content-sha256', 'x-amz-date']);
    expect(put.payloadHash).toBe(createHash('sha256').update(PHOTO).digest('hex'));

    expect(await store().get(key)).toEqual({ bytes: PHOTO, contentType: 'image/jpeg' });
  });

  it('answers null for an unknown key, and for a malformed one without asking the bucket', async () => {
    expect(await store().get(`${randomUUID()}/${randomUUID()}.png`)).toBeNull();
    const before = s3.requests.length;
    expect(await store().get('../../etc/passwd')).toBeNull();
    expect(s3.requests.length).toBe(before);
  });

  it('says what to fix when the key is wrong or the bucket is missing, and stores nothing', async () => {
    const stored = s3.objects.size;
    await expect(
      store({ secretAccessKey: 'not-the-secret' }).put({
        businessId: randomUUID(),
        bytes: PHOTO,
        contentType: 'image/jpeg',
      }),
    ).rejects.toThrow(
      /Could not store media in the bucket "parley-media": 403 SignatureDoesNotMatch .*Check PARLEY_BLOB_S3_ACCESS_KEY_ID, PARLEY_BLOB_S3_SECRET_ACCESS_KEY/,
    );
    await expect(
      store({ region: 'us-east-1' }).get(`${randomUUID()}/${randomUUID()}`),
    ).rejects.toThrow(/403 AuthorizationHeaderMalformed.*PARLEY_BLOB_S3_REGION/);
    await expect(
      store({ bucket: 'no-such-bucket' }).put({
        businessId: randomUUID(),
        bytes: PHOTO,
        contentType: null,
      }),
    ).rejects.toThrow(/404 NoSuchBucket .*Create the bucket "no-such-bucket"/);
    await expect(
      store({ bucket: 'no-such-bucket' }).get(`${randomUUID()}/${randomUUID()}`),
    ).rejects.toThrow(/NoSuchBucket/);
    await expect(
      createS3BlobStore({ ...BUCKET, endpoint: 'http://127.0.0.1:1' }).get(
        `${randomUUID()}/${randomUUID()}`,
      ),
    ).rejects.toThrow(/did not answer .*Check PARLEY_BLOB_S3_ENDPOINT/);
    expect(s3.objects.size).toBe(stored);
  });

  it('reads its settings from PARLEY_BLOB_S3_* and reports what is missing or malformed', async () => {
    expect(
      readServerSettings({
        PARLEY_BLOB_S3_BUCKET: 'media',
        PARLEY_BLOB_S3_ACCESS_KEY_ID: 'id',
        PARLEY_BLOB_S3_SECRET_ACCESS_KEY: 'secret',
      }).blobS3,
    ).toEqual({
      endpoint: 'https://s3.us-east-1.amazonaws.com',
      bucket: 'media',
      region: 'us-east-1',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
    });
    const { error, issues } = await configError(() =>
      readServerSettings({
        PARLEY_BLOB_S3_ENDPOINT: 'minio:9000',
        PARLEY_BLOB_S3_SECRET_ACCESS_KEY: 'do-not-print-me',
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'PARLEY_BLOB_S3_ENDPOINT',
      'PARLEY_BLOB_S3_BUCKET',
      'PARLEY_BLOB_S3_ACCESS_KEY_ID',
    ]);
    expect(issues[1]!.message).toContain(
      'is required when PARLEY_BLOB_S3_ENDPOINT, PARLEY_BLOB_S3_SECRET_ACCESS_KEY are set',
    );
    expect(error.message).not.toContain('do-not-print-me');
    const badBucket = await configError(() =>
      readServerSettings({
        PARLEY_BLOB_S3_BUCKET: 'My_Bucket',
        PARLEY_BLOB_S3_ACCESS_KEY_ID: 'id',
        PARLEY_BLOB_S3_SECRET_ACCESS_KEY: 'secret',
      }),
    );
    expect(badBucket.issues.map((issue) => issue.message)).toEqual([
      '"My_Bucket" is not a bucket name: use 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit.',
    ]);
  });
});

describe.each(backends)('WhatsApp media into an S3-compatible bucket (%s)', (backend) => {
  let s3: Awaited<ReturnType<typeof startS3StandIn>>;
  let meta: MetaParley;
  beforeAll(async () => {
    s3 = await startS3StandIn(BUCKET);
    meta = await startMetaParley({
      backend,
      env: {
        PARLEY_BLOB_S3_ENDPOINT: s3.endpoint,
        PARLEY_BLOB_S3_BUCKET: BUCKET.bucket,
        PARLEY_BLOB_S3_REGION: BUCKET.region,
        PARLEY_BLOB_S3_ACCESS_KEY_ID: BUCKET.accessKeyId,
        PARLEY_BLOB_S3_SECRET_ACCESS_KEY: BUCKET.secretAccessKey,
      },
    });
    meta.graph.addMedia('media-s3-photo', { bytes: PHOTO, mimeType: 'image/jpeg' });
  });
  afterAll(async () => {
    await meta.stop();
    await s3.close();
  });

  it('downloads a customer photo from a webhook into the bucket and serves it back on /api/media', async () => {
    const customer = { waId: '447700966601', userId: 'US.447700966601', name: 'Bucket Ben' };
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry(customer)],
        messages: [
          inbound(
            'image',
            { image: { id: 'media-s3-photo', mime_type: 'image/jpeg', caption: 'Cracked frame?' } },
            { from: customer.waId, from_user_id: customer.userId },
          ),
        ],
      }),
    );
    await meta.drained();
    const [message] = await meta.messagesOf('whatsapp', customer.userId);
    const part = message!.parts[0] as Extract<MessagePart, { type: 'media' }>;
    expect(part).toMatchObject({ type: 'media', kind: 'image', caption: 'Cracked frame?' });
    expect(part.downloadError).toBeUndefined();
    expect(s3.objects.get(part.blobKey!)).toEqual({
      bytes: Buffer.from(PHOTO),
      contentType: 'image/jpeg',
    });
    // Nothing went to the local folder.
    const local = await readdir(join(meta.parley.dataDir, 'blobs')).catch(() => []);
    expect(local).toEqual([]);

    const api = await consoleApi(meta.parley.baseUrl);
    const served = await api.fetch(`/api/media/${part.blobKey}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PHOTO);
    expect(s3.requests.filter((request) => request.method === 'GET')).toHaveLength(1);
  });
});
