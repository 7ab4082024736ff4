import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in answers to one chat request. */
export type UpstreamReply =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; name: string; arguments: Record<string, unknown> }
  | { kind: 'status'; status: number; message?: string }
  | { kind: 'hang' };

export interface StandInUpstream {
  /** e.g. `http://127.0.0.1:41234/v1` */
  baseUrl: string;
  /** Bodies of the chat and embedding requests received, in order. */
  requests: Array<{ path: string; body: Record<string, unknown> }>;
  /** Replies to give, in order; the last one repeats. */
  replies: UpstreamReply[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * A local OpenAI-compatible server (chat completions with streaming and tools, embeddings, models)
 * that answers as told after `delayMs`: the upstream for routing tests and the gateway benchmark.
 */
export async function startStandInUpstream(
  options: { delayMs?: number; record?: boolean } = {},
): Promise<StandInUpstream> {
  const requests: StandInUpstream['requests'] = [];
  const state = {
    replies: [{ kind: 'text', text: 'Hello from upstream.' }] as UpstreamReply[],
    served: 0,
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      const path = (request.url ?? '').replace(/\?.*$/, '');
      if (request.method === 'GET' && path.endsWith('/models')) {
        return send(response, 200, {
          object: 'list',
          data: [{ id: 'stand-in', object: 'model', created: 0, owned_by: 'test' }],
        });
      }
      const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      if (options.record ?? true) requests.push({ path, body });
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (path.endsWith('/embeddings')) {
        const input = body.input;
        const values = Array.isArray(input) ? input : [input];
        return send(response, 200, {
          object: 'list',
          data: values.map((_, index) => ({
            object: 'embedding',
            index,
            embedding: [0.1 * (index + 1), 0.2, 0.3],
          })),
          model: body.model,
          usage: { prompt_tokens: 4 * values.length, total_tokens: 4 * values.length },
        });
      }
      const reply = state.replies[Math.min(state.served, state.replies.length - 1)]!;
      state.served++;
      if (reply.kind === 'hang') return; // never answers: the caller's timeout must fire
      if (reply.kind === 'status') {
        return send(response, reply.status, {
          error: { message: reply.message ?? `status ${reply.status}`, type: 'server_error' },
        });
      }
      const usage = {
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_tokens_details: { cached_tokens: 40 },
      };
      const message =
        reply.kind === 'text'
          ? { role: 'assistant', content: reply.text }
          : {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'call_1',
                  type: 'function',
                  function: { name: reply.name, arguments: JSON.stringify(reply.arguments) },
                },
              ],
            };
      const finish = reply.kind === 'text' ? 'stop' : 'tool_calls';
      if (body.stream !== true) {
        return send(response, 200, {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: body.model,
          choices: [{ index: 0, message, finish_reason: finish }],
          usage,
        });
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (
        delta: unknown,
        finishReason: string | null,
        extra: Record<string, unknown> = {},
      ) =>
        response.write(
          `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
        );
      chunk({ role: 'assistant', content: '' }, null);
      if (reply.kind === 'text') {
        // Split into small pieces so placeholders arrive cut in two.
        for (let index = 0; index < reply.text.length; index += 5)
          chunk({ content: reply.text.slice(index, index + 5) }, null);
      } else {
        chunk(
          {
            tool_calls: [
              {
                index: 0,
                id: 'call_1',
                type: 'function',
                function: { name: reply.name, arguments: JSON.stringify(reply.arguments) },
              },
            ],
          },
          null,
        );
      }
      chunk({}, finish);
      response.write(
        `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model, choices: [], usage })}\n\n`,
      );
      response.end('data: [DONE]\n\n');
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get replies() {
      return state.replies;
    },
    set replies(value: UpstreamReply[]) {
      state.replies = value;
      state.served = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
