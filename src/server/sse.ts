import type { FastifyReply, FastifyRequest } from 'fastify';

export interface EventStream {
  send(event: { event: string; data: unknown; id?: number | string }): void;
  /** Resolves when the client goes away. */
  closed: Promise<void>;
  isClosed(): boolean;
}

const KEEPALIVE_MS = 15_000;

/**
 * Opens a `text/event-stream` response. Fastify hands the raw socket over (`hijack`), so the
 * handler owns it until the client disconnects; a comment line every 15 s keeps proxies from
 * closing an idle stream.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  extraHeaders: Record<string, string> = {},
): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...extraHeaders,
  });
  raw.write('retry: 2000\n\n');
  let closed = false;
  const keepalive = setInterval(() => raw.write(': ping\n\n'), KEEPALIVE_MS);
  const closedPromise = new Promise<void>((resolve) => {
    request.raw.on('close', () => {
      closed = true;
      clearInterval(keepalive);
      resolve();
    });
  });
  return {
    send({ event, data, id }) {
      if (closed) return;
      const lines = [`event: ${event}`];
      if (id !== undefined) lines.push(`id: ${id}`);
      lines.push(`data: ${JSON.stringify(data)}`);
      raw.write(`${lines.join('\n')}\n\n`);
    },
    closed: closedPromise,
    isClosed: () => closed,
  };
}
