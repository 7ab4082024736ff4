import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelFileServer {
  url: string;
  sha256: string;
  /** Range headers received, in order (null: none). */
  ranges: Array<string | null>;
  /** Cut the connection after this many body bytes, once. */
  cutAfter: number | null;
  close(): Promise<void>;
}

/**
 * Serves one file like a model hub: Range requests (206 with Content-Range), the SHA-256 in
 * `x-linked-etag` as Hugging Face sends it, and an optional cut mid-body to test resuming.
 */
export async function startModelFileServer(
  file: Buffer,
  options: { sendHash?: boolean } = {},
): Promise<ModelFileServer> {
  const sha256 = createHash('sha256').update(file).digest('hex');
  const state: ModelFileServer = {
    url: '',
    sha256,
    ranges: [],
    cutAfter: null,
    close: () => Promise.resolve(),
  };
  const server = createServer((request, response) => {
    state.ranges.push(request.headers.range ?? null);
    const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    if (start >= file.length && match) {
      response.writeHead(416, { 'content-range': `bytes */${file.length}` });
      response.end();
      return;
    }
    const body = file.subarray(start);
    response.writeHead(match ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      ...(match ? { 'content-range': `bytes ${start}-${file.length - 1}/${file.length}` } : {}),
      ...((options.sendHash ?? true) ? { 'x-linked-etag': `"${sha256}"` } : {}),
    });
    if (state.cutAfter !== null) {
      const cut = state.cutAfter;
      state.cutAfter = null;
      response.write(body.subarray(0, cut), () => response.destroy());
      return;
    }
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
