import type { S3BlobSettings } from '../core/blob-store.js';

const NAMES = {
  endpoint: 'PARLEY_BLOB_S3_ENDPOINT',
  bucket: 'PARLEY_BLOB_S3_BUCKET',
  region: 'PARLEY_BLOB_S3_REGION',
  accessKeyId: 'PARLEY_BLOB_S3_ACCESS_KEY_ID',
  secretAccessKey: 'PARLEY_BLOB_S3_SECRET_ACCESS_KEY',
} as const;

// S3's bucket naming rules (MinIO and R2 follow them): 3–63 lower-case letters, digits, dots, dashes.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * `PARLEY_BLOB_S3_*`: media in an S3-compatible bucket instead of the local folder. Null when
 * none is set. The bucket and both keys are required together; the region defaults to
 * us-east-1 and the endpoint to AWS's for that region.
 */
export function readS3BlobSettings(
  value: (name: string) => string | null,
  problem: (name: string, message: string) => void,
): S3BlobSettings | null {
  const given = Object.values(NAMES).filter((name) => value(name) !== null);
  if (given.length === 0) return null;

  const region = value(NAMES.region) ?? 'us-east-1';
  if (!/^[a-z0-9-]{2,32}$/.test(region)) {
    problem(
      NAMES.region,
      `${JSON.stringify(region)} is not a region. Use the bucket's region, such as eu-west-1 (auto for Cloudflare R2, us-east-1 for MinIO).`,
    );
  }
  const endpoint = value(NAMES.endpoint) ?? `https://s3.${region}.amazonaws.com`;
  if (!isHttpUrl(endpoint)) {
    problem(
      NAMES.endpoint,
      `${JSON.stringify(endpoint)} is not an http(s) URL. Set it to the S3-compatible service's address without the bucket, such as http://127.0.0.1:9000 or https://<account>.r2.cloudflarestorage.com.`,
    );
  }
  const bucket = value(NAMES.bucket);
  if (bucket === null) {
    problem(
      NAMES.bucket,
      `is required when ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set: name the bucket for customer media, or unset the PARLEY_BLOB_S3_ settings to keep media in the local folder.`,
    );
  } else if (!BUCKET.test(bucket)) {
    problem(
      NAMES.bucket,
      `${JSON.stringify(bucket)} is not a bucket name: use 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit.`,
    );
  }
  const accessKeyId = value(NAMES.accessKeyId);
  const secretAccessKey = value(NAMES.secretAccessKey);
  for (const [name, key] of [
    [NAMES.accessKeyId, accessKeyId],
    [NAMES.secretAccessKey, secretAccessKey],
  ] as const) {
    if (key === null) {
      problem(
        name,
        'is required for the media bucket: set the access key that may read and write it (never printed).',
      );
    }
  }
  if (bucket === null || accessKeyId === null || secretAccessKey === null) return null;
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
