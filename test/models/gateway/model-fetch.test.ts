import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFetch, postJson, readText } from '../../../src/models/model-fetch.js';

describe('modelFetch, the providers’ HTTP client', () => {
  let server: Server;
  let base: string;
  const requests: Array<{ url: string; body: string; headers: IncomingMessage['headers'] }> = [];
  let releaseStream: () => void = () => {};

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({
          url: request.url ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
          headers: request.headers,
        });
        switch (request.url) {
          case '/json':
            response.writeHead(200, { 'content-type': 'application/json' });
            return response.end('{"ok":true}');
          case '/gzip':
            response.writeHead(200, {
              'content-type': 'application/json',
              'content-encoding': 'gzip',
            });
            return response.end(gzipSync('{"compressed":true}'));
          case '/moved':
            response.writeHead(307, { location: '/json' });
            return response.end();
          case '/error':
            response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
            return response.end('{"error":{"message":"slow down"}}');
          case '/drop-once':
            // The first request's socket is closed with no answer, as an upstream closing an idle
            // kept-alive connection does just as a request goes out.
            if (requests.filter((seen) => seen.url === '/drop-once').length === 1) {
              return request.socket.destroy();
            }
            response.writeHead(200, { 'content-type': 'application/json' });
            return response.end('{"second":true}');
          case '/drop-always':
            return request.socket.destroy();
          case '/hang':
            return; // never answers
          case '/events':
            response.writeHead(200, { 'content-type': 'text/event-stream' });
            response.write('data: first\n\n');
            releaseStream = () => response.end('data: last\n\n');
            return;
        }
        response.writeHead(404).end();
      });
    });
    server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a pass-through request once more when the socket closes before any answer, but only once', async () => {
    const signal = new AbortController().signal;
    const response = await postJson(new URL(`${base}/drop-once`), {}, '{"n":1}', signal);
    expect(response.status).toBe(200);
    expect(await readText(response, signal)).toBe('{"second":true}');
    expect(requests.filter((seen) => seen.url === '/drop-once').map((seen) => seen.body)).toEqual([
      '{"n":1}',
      '{"n":1}',
    ]);
    await expect(postJson(new URL(`${base}/drop-always`), {}, '{}', signal)).rejects.toThrow(
      'fetch failed',
    );
    expect(requests.filter((seen) => seen.url === '/drop-always')).toHaveLength(2);
  });

  it('posts a JSON body with its headers and reads the answer', async () => {
    const response = await modelFetch(`${base}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: '{"model":"m"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
    expect(requests.at(-1)).toMatchObject({
      body: '{"model":"m"}',
      headers: { authorization: 'Bearer sk-test' },
    });
  });

  it('decodes a compressed answer, follows a redirect and passes error statuses on', async () => {
    expect(await (await modelFetch(`${base}/gzip`)).json()).toEqual({ compressed: true });
    const moved = await modelFetch(`${base}/moved`, { method: 'POST', body: '{}' });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toEqual({ ok: true });
    const limited = await modelFetch(`${base}/error`, { method: 'POST', body: '{}' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.text()).toContain('slow down');
  });

  it('hands an event stream on as it arrives', async () => {
    const response = await modelFetch(`${base}/events`, { method: 'POST', body: '{}' });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    // The first event is readable while the server still holds the response open.
    expect((await reader.read()).value).toBe('data: first\n\n');
    releaseStream();
    let rest = '';
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest += next.value;
    expect(rest).toBe('data: last\n\n');
  });

  it("rejects with the abort signal's reason, as fetch does, when the deadline passes", async () => {
    const controller = new AbortController();
    setTimeout(
      () => controller.abort(new DOMException('The model did not answer in time.', 'TimeoutError')),
      50,
    );
    const failure = await modelFetch(`${base}/hang`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    }).catch((error: unknown) => error);
    expect((failure as Error).name).toBe('TimeoutError');
  });

  it('fails like fetch when nothing listens, and works again on a socket the server closed', async () => {
    const refused = await modelFetch('http://127.0.0.1:9/none', {
      method: 'POST',
      body: '{}',
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).message).toBe('fetch failed');
    await modelFetch(`${base}/json`);
    // Longer than the server keeps an idle connection.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await modelFetch(`${base}/json`)).status).toBe(200);
  });
});
