import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Request {
  method: string;
  path: string;
  authorization: string;
  payloadHash: string;
  signedHeaders: string[];
}

/**
 * An S3-compatible object store, path-style (`/<bucket>/<key>`), written from AWS's SigV4 and S3
 * REST documentation: it checks each request's `Authorization: AWS4-HMAC-SHA256 Credential=…,
 * SignedHeaders=…, Signature=…` by computing the signature itself, checks a signed payload hash
 * against the bytes, and answers S3's XML errors (InvalidAccessKeyId, SignatureDoesNotMatch,
 * XAmzContentSHA256Mismatch, NoSuchBucket, NoSuchKey).
 */
export async function startS3StandIn(options: {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}) {
  const objects = new Map<string, { bytes: Buffer; contentType: string | null }>();
  const requests: S3Request[] = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const fail = (status: number, code: string, message: string) => {
        response.writeHead(status, { 'content-type': 'application/xml' });
        response.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
        );
      };
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const method = request.method ?? 'GET';
      const verdict = verifySignature(method, url, request.headers, body, options);
      if (!verdict.ok) return fail(403, verdict.code, verdict.message);
      requests.push({ method, path: url.pathname, ...verdict.request });

      const [, bucket, ...keyParts] = url.pathname.split('/');
      if (bucket !== options.bucket) {
        return fail(404, 'NoSuchBucket', 'The specified bucket does not exist');
      }
      const key = keyParts.map(decodeURIComponent).join('/');
      if (method === 'PUT') {
        objects.set(key, { bytes: body, contentType: request.headers['content-type'] ?? null });
        response.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
        return response.end();
      }
      if (method === 'GET') {
        const object = objects.get(key);
        if (!object) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
        response.writeHead(200, {
          'content-type': object.contentType ?? 'binary/octet-stream',
          'content-length': object.bytes.byteLength,
        });
        return response.end(object.bytes);
      }
      fail(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    /** Stored objects by key (without the bucket). */
    objects,
    /** Every request whose signature was valid, oldest first. */
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function verifySignature(
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: Buffer,
  expected: { region: string; accessKeyId: string; secretAccessKey: string },
):
  | { ok: true; request: Omit<S3Request, 'method' | 'path'> }
  | { ok: false; code: string; message: string } {
  const authorization = headers.authorization ?? '';
  const match = AUTHORIZATION.exec(authorization);
  const amzDate = String(headers['x-amz-date'] ?? '');
  const payloadHash = String(headers['x-amz-content-sha256'] ?? '');
  if (!match || !/^\d{8}T\d{6}Z$/.test(amzDate) || payloadHash === '') {
    return {
      ok: false,
      code: 'AccessDenied',
      message: 'Missing or malformed AWS4-HMAC-SHA256 Authorization, x-amz-date or payload hash',
    };
  }
  const [, accessKeyId, date, region, signedHeaderList, signature] = match as unknown as string[];
  if (accessKeyId !== expected.accessKeyId) {
    return {
      ok: false,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  const signedHeaders = signedHeaderList!.split(';');
  for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
    if (!signedHeaders.includes(required)) {
      return { ok: false, code: 'AccessDenied', message: `${required} must be signed` };
    }
  }
  if (date !== amzDate.slice(0, 8) || region !== expected.region) {
    return {
      ok: false,
      code: 'AuthorizationHeaderMalformed',
      message: `The authorization header is malformed; the region '${region}' is wrong; expecting '${expected.region}'`,
    };
  }
  if (
    payloadHash !== 'UNSIGNED-PAYLOAD' &&
    payloadHash !== createHash('sha256').update(body).digest('hex')
  ) {
    return {
      ok: false,
      code: 'XAmzContentSHA256Mismatch',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    };
  }
  const canonicalRequest = [
    method,
    url.pathname,
    [...url.searchParams]
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .sort()
      .join('&'),
    signedHeaders
      .map(
        (name) =>
          `${name}:${String(headers[name] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: Buffer | string, text: string) =>
    createHmac('sha256', key).update(text).digest();
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${expected.secretAccessKey}`, date), region), 's3'),
    'aws4_request',
  );
  if (createHmac('sha256', signingKey).update(stringToSign).digest('hex') !== signature) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }
  return { ok: true, request: { authorization, payloadHash, signedHeaders } };
}
