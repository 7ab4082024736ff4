import { randomUUID } from 'node:crypto';
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { ParleyError, isParleyError } from '../../core/errors.js';
import { callContextOptions, type CallContext } from '../../core/model-call-context.js';
import { MODEL_TASKS, type ModelTask } from '../../core/model-calls.js';
import type { Store } from '../../core/store.js';
import type { ModelGateway } from '../../models/model-gateway.js';
import { hasImages } from '../../models/routing/openai-chat-wire.js';
import type { ForwardedChat } from '../../models/routing/chat-pass-through.js';
import type { RoutedLanguageModel } from '../../models/routing/routed-language-model.js';
import { createApiKeyCache } from './api-key-cache.js';
import { chatCompletionRequest, toCallOptions } from './chat-request.js';
import { toChatCompletion, toFinishReason, toUsage } from './chat-response.js';

export interface OpenAIGatewayDependencies {
  store: Store;
  clock: Clock;
  /** The gateway of the business an API key belongs to (null: that business has none here). */
  gatewayFor(businessId: string): ModelGateway | null;
}

const embeddingsRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ParleyError(
    'validation_failed',
    `The request is not valid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`,
    { issues },
  );
}

/**
 * The route a client's `model` names: a catalog model id, a task (`customer-replies`…), or
 * `parley` / `default` for the owner-workspace route (else customer replies).
 */
function pickRoute(gateway: ModelGateway, model: string): RoutedLanguageModel {
  const byId = gateway.modelById(model);
  if (byId) return byId;
  if ((MODEL_TASKS as readonly string[]).includes(model)) {
    const route = gateway.modelFor(model as ModelTask);
    if (route) return route;
  }
  if (model === 'parley' || model === 'default') {
    const route = gateway.modelFor('owner-workspace') ?? gateway.modelFor('customer-replies');
    if (route) return route;
  }
  throw new ParleyError(
    'not_found',
    `The model ${JSON.stringify(model)} does not exist here. GET /v1/models lists the models and routes this Parley serves.`,
  );
}

function sseWrite(reply: FastifyReply, payload: unknown): void {
  reply.raw.write(`data: ${JSON.stringify(payload)}\n\n`);
}

/**
 * Sends a forwarded answer straight to the socket, past Fastify's reply pipeline: the body is
 * OpenAI's JSON already, or an event stream relayed as it arrives.
 */
async function forwardChat(reply: FastifyReply, forwarded: ForwardedChat): Promise<void> {
  reply.hijack();
  if (!forwarded.stream) {
    reply.raw.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(forwarded.body),
    });
    reply.raw.end(forwarded.body);
    return;
  }
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const complete = await forwarded.relay((text) => reply.raw.write(text));
  if (!complete) {
    sseWrite(reply, {
      error: { message: 'The model failed while answering.', type: 'server_error' },
    });
  }
  reply.raw.end('data: [DONE]\n\n');
}

/**
 * The last upstream's own error (a 500 from the provider, a time-out) is what the route's models
 * threw once every fallback had failed: the caller gets 503 with what to do, not a bare 500.
 * Parley's own refusals (data classes, budgets) keep their code and message.
 */
function asModelFailure(error: unknown): never {
  if (isParleyError(error)) throw error;
  throw new ParleyError(
    'model_unavailable',
    'Every model on this route failed to answer (each attempt is in the egress log on the Costs page). Try again shortly, or add a fallback model to the route.',
    { cause: error },
  );
}

/** OpenAI's float vectors in base64: little-endian float32, as the official clients decode them. */
function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/**
 * `/v1/chat/completions` (with streaming and tools), `/v1/embeddings` and `/v1/models`: the
 * business's other tools use Parley's routing, redaction, budgets and egress log through the
 * OpenAI protocol, with a Parley API key as the bearer token.
 */
export function registerOpenAIGatewayRoutes(
  app: FastifyInstance,
  deps: OpenAIGatewayDependencies,
): void {
  const authenticate = createApiKeyCache(deps);
  const gatewayOf = async (request: Parameters<typeof authenticate>[0]) => {
    const { businessId } = await authenticate(request);
    const gateway = deps.gatewayFor(businessId);
    if (!gateway) {
      throw new ParleyError(
        'model_unavailable',
        'This business has no models configured. Add a models section to its business file.',
      );
    }
    return gateway;
  };
  const context = callContextOptions({ source: 'gateway' });
  const gatewayCall: CallContext = { contactId: null, conversationId: null, source: 'gateway' };
  // Fastify's two info lines per request cost CPU on the gateway's hot path and say nothing the
  // egress log does not (every model call is in it). Failures are still logged.
  const quiet = { logLevel: 'warn' as const };

  app.get('/v1/models', quiet, async (request) => {
    const gateway = await gatewayOf(request);
    const models = gateway
      .listModels()
      .map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.provider }));
    const routes = gateway.tasks.map((task) => ({
      id: task,
      object: 'model',
      created: 0,
      owned_by: 'parley',
    }));
    return { object: 'list', data: [...models, ...routes] };
  });

  app.post('/v1/chat/completions', quiet, async (request, reply) => {
    const gateway = await gatewayOf(request);
    const body = parse(chatCompletionRequest, request.body);
    const model = pickRoute(gateway, body.model);
    const controller = new AbortController();
    request.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    if (model.forwardsChat && !hasImages(body.messages)) {
      const forwarded = await model
        .forward(body, gatewayCall, controller.signal)
        .catch(asModelFailure);
      return forwardChat(reply, forwarded);
    }
    // The SDK's path: the request converted to call options, the answer back to OpenAI's shape.
    const options = { ...toCallOptions(body), providerOptions: context };
    const meta = {
      id: `chatcmpl-${randomUUID()}`,
      created: Math.floor(deps.clock.now().getTime() / 1000),
      model: body.model,
    };
    if (!body.stream) {
      const result = await model
        .doGenerate({ ...options, abortSignal: controller.signal })
        .catch(asModelFailure);
      return toChatCompletion(result, meta);
    }
    // Errors before the first byte (refusals, every model down) are ordinary JSON errors.
    const { stream } = await model
      .doStream({ ...options, abortSignal: controller.signal })
      .catch(asModelFailure);
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      sseWrite(reply, {
        id: meta.id,
        object: 'chat.completion.chunk',
        created: meta.created,
        model: meta.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      });
    chunk({ role: 'assistant', content: '' });
    let toolIndex = 0;
    try {
      const reader = stream.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        const part: LanguageModelV3StreamPart = next.value;
        switch (part.type) {
          case 'text-delta':
            chunk({ content: part.delta });
            break;
          case 'tool-call':
            chunk({
              tool_calls: [
                {
                  index: toolIndex++,
                  id: part.toolCallId,
                  type: 'function',
                  function: { name: part.toolName, arguments: part.input },
                },
              ],
            });
            break;
          case 'finish':
            chunk({}, toFinishReason(part.finishReason));
            if (body.stream_options?.include_usage) {
              sseWrite(reply, {
                id: meta.id,
                object: 'chat.completion.chunk',
                created: meta.created,
                model: meta.model,
                choices: [],
                usage: toUsage(part.usage),
              });
            }
            break;
          case 'error':
            sseWrite(reply, {
              error: { message: 'The model failed while answering.', type: 'server_error' },
            });
            break;
          default:
            break;
        }
      }
    } catch {
      sseWrite(reply, {
        error: { message: 'The model failed while answering.', type: 'server_error' },
      });
    }
    reply.raw.end('data: [DONE]\n\n');
  });

  app.post('/v1/embeddings', quiet, async (request) => {
    const gateway = await gatewayOf(request);
    const body = parse(embeddingsRequest, request.body);
    const values = typeof body.input === 'string' ? [body.input] : body.input;
    const known = gateway.listModels().some((model) => model.id === body.model);
    const result = await gateway
      .embed(
        values,
        { contactId: null, conversationId: null, source: 'gateway' },
        known ? body.model : undefined,
      )
      .catch(asModelFailure);
    return {
      object: 'list',
      data: result.embeddings.map((embedding, index) => ({
        object: 'embedding',
        index,
        embedding: body.encoding_format === 'base64' ? toBase64(embedding) : embedding,
      })),
      model: body.model,
      usage: { prompt_tokens: result.inputTokens ?? 0, total_tokens: result.inputTokens ?? 0 },
    };
  });
}
