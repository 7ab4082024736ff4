import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Agent } from 'undici';

/**
 * Free keep-alive sockets are closed after this much idle time: before the 5 s after which
 * Node's own servers (and many model servers) close them, so a reused socket is rarely a closed one.
 */
const IDLE_SOCKET_MS = 4_000;

const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' }),
};

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  if (!headers) return result;
  if (headers instanceof Headers || Array.isArray(headers)) {
    for (const [name, value] of new Headers(headers)) result[name] = value;
    return result;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = String(value);
  }
  return result;
}

function decoded(response: http.IncomingMessage): Readable {
  switch (response.headers['content-encoding']) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(zlib.createGunzip());
    case 'deflate':
      return response.pipe(zlib.createInflate());
    case 'br':
      return response.pipe(zlib.createBrotliDecompress());
    default:
      return response;
  }
}

function responseHeaders(response: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    // The body handed on is already decoded.
    if (name === 'content-encoding' || name === 'content-length') continue;
    headers.append(name, raw[index + 1]!);
  }
  return headers;
}

/** An event stream is handed on as it arrives; anything else is read whole first (cheaper). */
function streamedBody(source: Readable, failure: () => Error): ReadableStream<Uint8Array> {
  let ended = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      source.on('data', (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) source.pause();
      });
      source.once('end', () => {
        ended = true;
        controller.close();
      });
      source.once('error', () => {
        if (!ended) controller.error(failure());
      });
      source.once('close', () => {
        if (!ended) controller.error(failure());
        ended = true;
      });
    },
    pull() {
      source.resume();
    },
    cancel() {
      ended = true;
      source.destroy();
    },
  });
}

function wholeBody(source: Readable, failure: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    source.on('data', (chunk: Buffer) => chunks.push(chunk));
    source.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    source.once('error', () => reject(failure()));
    source.once('close', () => {
      if (!ended) reject(failure());
    });
  });
}

function send(
  url: URL,
  init: RequestInit,
  headers: Record<string, string>,
  body: string | Uint8Array | undefined,
  retried: boolean,
): Promise<Response> {
  const signal = init.signal ?? undefined;
  // As fetch: an abort rejects with the signal's reason (a TimeoutError from Parley's deadline).
  const failure = (cause?: unknown): Error =>
    signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause });
  return new Promise<Response>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: init.method ?? 'GET',
      headers,
      agent: agents[url.protocol as 'http:' | 'https:'],
      ...(signal ? { signal } : {}),
    });
    request.once('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed meanwhile: the request never reached it; send again.
      if (!retried && request.reusedSocket && error.code === 'ECONNRESET' && !signal?.aborted) {
        resolve(send(url, init, headers, body, true));
      } else {
        reject(failure(error));
      }
    });
    request.once('response', (response) => {
      const status = response.statusCode ?? 500;
      if (REDIRECT_STATUSES.has(status) && response.headers.location) {
        // Model APIs do not redirect; when one does, fetch's own redirect rules apply.
        response.resume();
        resolve(fetch(url, init));
        return;
      }
      const meta = {
        status,
        statusText: response.statusMessage ?? '',
        headers: responseHeaders(response),
      };
      if (NULL_BODY_STATUSES.has(status) || init.method === 'HEAD') {
        response.resume();
        resolve(new Response(null, meta));
        return;
      }
      const source = decoded(response);
      if (/event-stream|x-ndjson/.test(response.headers['content-type'] ?? '')) {
        resolve(
          new Response(
            streamedBody(source, () => failure()),
            meta,
          ),
        );
        return;
      }
      wholeBody(source, () => failure()).then(
        (bytes) =>
          // A Buffer is a Uint8Array; the DOM typings only want it over a plain ArrayBuffer.
          resolve(new Response(bytes as Uint8Array<ArrayBuffer>, meta)),
        reject,
      );
    });
    request.end(body);
  });
}

/**
 * The `fetch` the model providers use: the AI SDK's requests over Node's own HTTP client with
 * kept-alive sockets. It does what those requests need (JSON bodies, streamed event responses,
 * abort signals, compressed answers, redirects by way of the global fetch) with less CPU time per
 * call than Node's built-in fetch and its stream machinery, which matters on the gateway's hot path.
 * Anything else (a `Request` object, a form or stream body) goes to the global fetch unchanged.
 */
export function modelFetch(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  const body = init.body ?? undefined;
  if (
    input instanceof Request ||
    (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array))
  ) {
    return fetch(input, init);
  }
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
  if (init.signal?.aborted) return Promise.reject(init.signal.reason as Error);
  return send(url, init, plainHeaders(init.headers), body, false);
}

/** An upstream's answer as it starts: status, content type and the (decoded) body to read. */
export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: Readable;
}

/**
 * The pass-through's connections: undici's dispatcher, whose per-origin pools cost less CPU per
 * request than node:http's agent. Idle sockets close after 4 s, or a second before the server's
 * own keep-alive hint, so a reused socket is rarely one the server is closing.
 */
const passThroughAgent = new Agent({
  keepAliveTimeout: IDLE_SOCKET_MS,
  keepAliveTimeoutThreshold: 1_000,
  connections: 256,
});

function decodedBody(body: Readable, encoding: string | string[] | undefined): Readable {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return body.pipe(zlib.createGunzip());
    case 'deflate':
      return body.pipe(zlib.createInflate());
    case 'br':
      return body.pipe(zlib.createBrotliDecompress());
    default:
      return body;
  }
}

/**
 * POSTs a JSON body, resolving as soon as the response starts, with a Node stream for its body:
 * the gateway's pass-through relays those bytes to its client without Web streams in between.
 * Rejects like `fetch` does (the signal's reason on abort, a TypeError when the connection fails).
 */
export async function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<UpstreamResponse> {
  if (signal.aborted) throw signal.reason as Error;
  const send = () =>
    passThroughAgent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: 'POST',
      headers,
      body,
      signal,
    });
  try {
    // A kept-alive socket the upstream closed just as the request went out fails before any answer
    // arrives; sending once more on a fresh socket is what node:http's agent did for us before.
    const response = await send().catch((error: unknown) => {
      if (signal.aborted || !closedBeforeAnswer(error)) throw error;
      return send();
    });
    const contentType = response.headers['content-type'];
    return {
      status: response.statusCode,
      contentType: typeof contentType === 'string' ? contentType : '',
      body: decodedBody(response.body, response.headers['content-encoding']),
    };
  } catch (error) {
    throw signal.aborted
      ? (signal.reason as Error)
      : new TypeError('fetch failed', { cause: error });
  }
}

/** undici's codes for a socket that was closed or reset before the response began. */
function closedBeforeAnswer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** The whole body of an upstream response, as text. */
export function readText(response: UpstreamResponse, signal: AbortSignal): Promise<string> {
  return wholeBody(response.body, () =>
    signal.aborted ? (signal.reason as Error) : new TypeError('fetch failed'),
  ).then((bytes) => bytes.toString('utf8'));
}
