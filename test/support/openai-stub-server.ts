import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One scripted answer to `POST /v1/chat/completions`:
 * - `text`: an assistant message;
 * - `toolCalls`: assistant tool calls (`arguments` is sent as given when a string, else as JSON);
 * - `status`: an HTTP error with an OpenAI-style error body;
 * - `rawBody`: this exact body with HTTP 200 (for malformed JSON);
 * - `hang`: no answer at all; the request ends when the client gives up;
 * - a function of the request body, for answers that depend on what was asked.
 */
export type StubReply =
  | { text: string; promptTokens?: number; completionTokens?: number }
  | { toolCalls: Array<{ name: string; arguments: unknown; id?: string }> }
  | { status: number; message?: string }
  | { rawBody: string }
  | { hang: true }
  | ((body: ChatCompletionRequest) => StubReply);

/** The parts of an OpenAI chat request the tests look at. */
export interface ChatCompletionRequest {
  model: string;
  stream?: boolean;
  messages: Array<{
    role: string;
    content?: string | null;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: string; function: { name: string; description?: string } }>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: ChatCompletionRequest | null;
}

export interface OpenAIStubServer {
  /** The OpenAI-compatible base URL, e.g. `http://127.0.0.1:41234/v1`. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Chat completion requests only. */
  chatRequests(): ChatCompletionRequest[];
  /** Appends answers for the next chat completion requests. */
  script(...replies: StubReply[]): void;
  /** Replies not used yet. */
  remaining(): number;
  close(): Promise<void>;
}

/**
 * A small OpenAI-compatible server on 127.0.0.1 (a free port) that answers from a script, so the
 * real provider is tested over real HTTP: request shape, tool calls, errors and timeouts.
 */
export async function startOpenAIStubServer(
  options: { models?: string[]; apiKey?: string } = {},
): Promise<OpenAIStubServer> {
  const queue: StubReply[] = [];
  const requests: RecordedRequest[] = [];
  let completionCount = 0;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path,
      authorization: request.headers.authorization ?? null,
      body: null,
    };
    requests.push(recorded);
    if (options.apiKey && recorded.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(response, 401, { error: { message: 'Invalid API key', type: 'invalid_api_key' } });
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      sendJson(response, 200, {
        object: 'list',
        data: (options.models ?? ['stub-model']).map((id) => ({
          id,
          object: 'model',
          owned_by: 'stub',
        })),
      });
      return;
    }
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(response, 404, { error: { message: `No route ${request.method} ${path}` } });
      return;
    }
    const body = JSON.parse(raw) as ChatCompletionRequest;
    recorded.body = body;
    if (body.stream) {
      sendJson(response, 400, { error: { message: 'The stub server does not stream.' } });
      return;
    }
    completionCount++;
    let reply = queue.shift();
    while (typeof reply === 'function') reply = reply(body);
    if (!reply) {
      sendJson(response, 500, {
        error: { message: `The stub server has no scripted reply for request ${completionCount}.` },
      });
      return;
    }
    answer(response, reply, body.model);
  }

  function answer(
    response: ServerResponse,
    reply: Exclude<StubReply, (body: ChatCompletionRequest) => StubReply>,
    model: string,
  ): void {
    if ('hang' in reply) return;
    if ('rawBody' in reply) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(reply.rawBody);
      return;
    }
    if ('status' in reply) {
      sendJson(response, reply.status, {
        error: { message: reply.message ?? 'Scripted failure', type: 'server_error' },
      });
      return;
    }
    const message =
      'text' in reply
        ? { role: 'assistant', content: reply.text }
        : {
            role: 'assistant',
            content: null,
            tool_calls: reply.toolCalls.map((call, index) => ({
              id: call.id ?? `call_${completionCount}_${index + 1}`,
              type: 'function',
              function: {
                name: call.name,
                arguments:
                  typeof call.arguments === 'string'
                    ? call.arguments
                    : JSON.stringify(call.arguments),
              },
            })),
          };
    const promptTokens = 'text' in reply ? (reply.promptTokens ?? 120) : 120;
    const completionTokens = 'text' in reply ? (reply.completionTokens ?? 15) : 15;
    sendJson(response, 200, {
      id: `chatcmpl-${completionCount}`,
      object: 'chat.completion',
      created: 1_767_225_600,
      model,
      choices: [
        {
          index: 0,
          message,
          finish_reason: 'text' in reply ? 'stop' : 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.flatMap((request) => (request.body ? [request.body] : [])),
    script: (...replies) => queue.push(...replies),
    remaining: () => queue.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests keep their sockets open: close them, or `close` would wait for them.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
