import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ParleyError } from '../../core/errors.js';
import { readGgufVersion } from './gguf-header.js';

export interface DownloadProgress {
  receivedBytes: number;
  /** Null when the server does not say. */
  totalBytes: number | null;
  resumedFrom: number;
}

export interface DownloadOptions {
  url: string;
  /** Final path; the download goes to `<destination>.part` until verified. */
  destination: string;
  /** Expected SHA-256 (hex); else the server's (Hugging Face sends it as `x-linked-etag`). */
  sha256?: string | undefined;
  fetch?: typeof fetch;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

async function hashFile(path: string): Promise<ReturnType<typeof createHash>> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}

function expectedHash(headers: Headers): string | null {
  for (const name of ['x-linked-etag', 'etag']) {
    const value = headers.get(name)?.replace(/^W\//, '').replace(/"/g, '');
    if (value && /^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase();
  }
  return null;
}

/**
 * Downloads a model file with resume: a `.part` file left by an interrupted run is continued with
 * an HTTP Range request (restarted if the server ignores the range). The finished file must match
 * the SHA-256 and start with a GGUF header before it is moved into place.
 */
export async function downloadModel(
  options: DownloadOptions,
): Promise<{ path: string; size: number; sha256: string }> {
  const fetchImplementation = options.fetch ?? fetch;
  const partPath = `${options.destination}.part`;
  await mkdir(dirname(options.destination), { recursive: true });
  const existing = await stat(partPath).then(
    (info) => info.size,
    () => 0,
  );
  const response = await fetchImplementation(options.url, {
    headers: existing > 0 ? { range: `bytes=${existing}-` } : {},
    redirect: 'follow',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (response.status === 416 && existing > 0) {
    // The part is already complete (an earlier run stopped before verifying it).
    return finish(options, partPath, await hashFile(partPath), null);
  }
  if (!response.ok || !response.body) {
    throw new ParleyError(
      'model_unavailable',
      `Downloading ${options.url} failed: the server answered ${response.status} ${response.statusText}. Check the name and your connection, then run the same command again to resume.`,
    );
  }
  const resumed = response.status === 206 && existing > 0;
  const hash = resumed ? await hashFile(partPath) : createHash('sha256');
  const resumedFrom = resumed ? existing : 0;
  const length = Number(response.headers.get('content-length') ?? NaN);
  const totalBytes = Number.isFinite(length) ? resumedFrom + length : null;
  const file = await open(partPath, resumed ? 'a' : 'w');
  let receivedBytes = resumedFrom;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      await file.write(chunk);
      receivedBytes += chunk.length;
      options.onProgress?.({ receivedBytes, totalBytes, resumedFrom });
    }
  } finally {
    await file.close();
  }
  if (totalBytes !== null && receivedBytes !== totalBytes) {
    throw new ParleyError(
      'model_unavailable',
      `The download stopped at ${receivedBytes} of ${totalBytes} bytes. Run the same command again to resume.`,
    );
  }
  return finish(options, partPath, hash, expectedHash(response.headers));
}

async function finish(
  options: DownloadOptions,
  partPath: string,
  hash: ReturnType<typeof createHash>,
  serverHash: string | null,
): Promise<{ path: string; size: number; sha256: string }> {
  const sha256 = hash.digest('hex');
  const expected = options.sha256?.toLowerCase() ?? serverHash;
  if (expected && expected !== sha256) {
    await rm(partPath, { force: true });
    throw new ParleyError(
      'model_output_invalid',
      `The downloaded file's SHA-256 is ${sha256}, not the expected ${expected}: it is damaged or not the file asked for. It was deleted; run the command again.`,
    );
  }
  if ((await readGgufVersion(partPath)) === null) {
    await rm(partPath, { force: true });
    throw new ParleyError(
      'model_output_invalid',
      `${options.url} is not a GGUF model file (no GGUF header). It was deleted; pull a .gguf file.`,
    );
  }
  await rename(partPath, options.destination);
  const { size } = await stat(options.destination);
  return { path: options.destination, size, sha256 };
}
