import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import {
  readCallContext,
  withoutCallContext,
  type CallContext,
} from '../../core/model-call-context.js';
import { StreamingRestorer } from '../pii/streaming-restorer.js';
import { ChatPassThrough, type ForwardedChat } from './chat-pass-through.js';
import type { WireChatRequest } from './openai-chat-wire.js';
import { redactPrompt, restoreContent, restoreToolInput } from './redact-prompt.js';
import {
  RouteCalls,
  type AdmittedCall,
  type CallTokens,
  type RouteCandidate,
  type RoutedModelDependencies,
} from './route-calls.js';

interface PreparedCall extends AdmittedCall {
  redacted: LanguageModelV3CallOptions['prompt'];
}

/** The prompt's text in characters (about 4 per token); files are not counted. */
function promptCharacters(prompt: LanguageModelV3CallOptions['prompt']): number {
  let characters = 0;
  for (const message of prompt) {
    if (typeof message.content === 'string') {
      characters += message.content.length;
      continue;
    }
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') characters += part.text.length;
      else if (part.type === 'tool-call') characters += JSON.stringify(part.input ?? '').length;
      else if (part.type === 'tool-result') characters += JSON.stringify(part.output).length;
    }
  }
  return characters;
}

function usageNumbers(usage: LanguageModelV3Usage | undefined): CallTokens {
  return {
    inputTokens: usage?.inputTokens.total ?? null,
    outputTokens: usage?.outputTokens.total ?? null,
    cachedInputTokens: usage?.inputTokens.cacheRead ?? null,
  };
}

/**
 * A `LanguageModelV3` that is a route, not a model: for each call it classifies the prompt's data,
 * keeps only the models the business allows for those classes, checks the budgets, redacts before
 * external providers, tries the primary and then the fallbacks (skipping open breakers), restores
 * placeholders in the answer and records the call in the egress log with its tokens and cost.
 */
export class RoutedLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'parley';
  readonly modelId: string;
  // URLs (images) are downloaded by the SDK and sent inline; whichever model answers gets them.
  readonly supportedUrls = {};
  readonly #calls: RouteCalls;
  readonly #passThrough: ChatPassThrough;

  constructor(deps: RoutedModelDependencies) {
    this.modelId = deps.task;
    this.#calls = new RouteCalls(deps);
    this.#passThrough = new ChatPassThrough(this.#calls);
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const call = await this.#prepare(options);
    try {
      return await this.#generate(call, options);
    } finally {
      call.hold.settle(0); // a no-op after an answer: that settled with the call's cost
    }
  }

  async #generate(
    call: PreparedCall,
    options: LanguageModelV3CallOptions,
  ): Promise<LanguageModelV3GenerateResult> {
    let fallbackFrom: string | null = null;
    let lastError: unknown = null;
    for (const candidate of call.candidates) {
      if (!candidate.breaker.tryAcquire()) {
        fallbackFrom ??= candidate.entry.id;
        continue;
      }
      const redact = this.#calls.redacts(candidate);
      const started = this.#calls.now();
      const { callOptions, settle } = this.#optionsFor(
        options,
        candidate,
        redact ? call.redacted : options.prompt,
      );
      try {
        const result = await Promise.resolve(candidate.model.doGenerate(callOptions)).finally(
          settle,
        );
        candidate.breaker.recordSuccess();
        this.#calls.recordOk(
          call,
          candidate,
          redact,
          usageNumbers(result.usage),
          started,
          fallbackFrom,
        );
        return redact
          ? { ...result, content: restoreContent(call.session, result.content) }
          : result;
      } catch (error) {
        if (options.abortSignal?.aborted) throw error;
        candidate.breaker.recordFailure();
        this.#calls.recordError(call, candidate, redact, error, started, fallbackFrom);
        this.#calls.deps.onFallback?.({ from: candidate.entry.id, to: null, error });
        fallbackFrom = candidate.entry.id;
        lastError = error;
      }
    }
    throw this.#calls.exhausted(lastError);
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const call = await this.#prepare(options);
    let fallbackFrom: string | null = null;
    let lastError: unknown = null;
    for (const candidate of call.candidates) {
      if (!candidate.breaker.tryAcquire()) {
        fallbackFrom ??= candidate.entry.id;
        continue;
      }
      const redact = this.#calls.redacts(candidate);
      const started = this.#calls.now();
      let result: LanguageModelV3StreamResult;
      const { callOptions, settle } = this.#optionsFor(
        options,
        candidate,
        redact ? call.redacted : options.prompt,
      );
      // A stream the caller drops without reading to the end releases its hold when the deadline
      // or the caller's signal aborts the call.
      callOptions.abortSignal?.addEventListener('abort', () => call.hold.settle(0), { once: true });
      try {
        // Falling back is possible until the stream starts; errors inside it reach the caller.
        result = await candidate.model.doStream(callOptions);
      } catch (error) {
        settle();
        if (options.abortSignal?.aborted) {
          call.hold.settle(0);
          throw error;
        }
        candidate.breaker.recordFailure();
        this.#calls.recordError(call, candidate, redact, error, started, fallbackFrom);
        fallbackFrom = candidate.entry.id;
        lastError = error;
        continue;
      }
      const from = fallbackFrom;
      return {
        ...result,
        stream: result.stream.pipeThrough(
          this.#streamTransform(call, candidate, redact, started, from, settle),
        ),
      };
    }
    call.hold.settle(0);
    throw this.#calls.exhausted(lastError);
  }

  /** Whether every model on the route takes OpenAI's chat requests as they are (`forward`). */
  get forwardsChat(): boolean {
    return this.#calls.candidates.every((candidate) => candidate.upstream);
  }

  /**
   * The pass-through: an OpenAI chat request forwarded to the route's models as it came, with the
   * same guarantees as `doGenerate`/`doStream` (see `ChatPassThrough.forward`). Only for routes
   * that `forwardsChat`.
   */
  forward(
    request: WireChatRequest,
    context: CallContext,
    abortSignal: AbortSignal,
  ): Promise<ForwardedChat> {
    return this.#passThrough.forward(request, context, abortSignal);
  }

  #streamTransform(
    call: PreparedCall,
    candidate: RouteCandidate,
    redact: boolean,
    started: number,
    fallbackFrom: string | null,
    settle: () => void,
  ): TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart> {
    const restorers = new Map<string, StreamingRestorer>();
    let finished = false;
    const restorer = (id: string) => {
      let existing = restorers.get(id);
      if (!existing) restorers.set(id, (existing = new StreamingRestorer(call.session)));
      return existing;
    };
    return new TransformStream({
      transform: (part, controller) => {
        if (part.type === 'finish') {
          finished = true;
          candidate.breaker.recordSuccess();
          this.#calls.recordOk(
            call,
            candidate,
            redact,
            usageNumbers(part.usage),
            started,
            fallbackFrom,
          );
        } else if (part.type === 'error') {
          finished = true;
          candidate.breaker.recordFailure();
          this.#calls.recordError(call, candidate, redact, part.error, started, fallbackFrom);
          call.hold.settle(0);
        }
        if (!redact) return controller.enqueue(part);
        switch (part.type) {
          case 'text-delta':
          case 'reasoning-delta': {
            const delta = restorer(part.id).push(part.delta);
            if (delta !== '') controller.enqueue({ ...part, delta });
            return;
          }
          case 'text-end':
          case 'reasoning-end': {
            const rest = restorer(part.id).flush();
            if (rest !== '') {
              controller.enqueue({
                type: part.type === 'text-end' ? 'text-delta' : 'reasoning-delta',
                id: part.id,
                delta: rest,
              });
            }
            return controller.enqueue(part);
          }
          case 'tool-call':
            return controller.enqueue({
              ...part,
              input: restoreToolInput(call.session, part.input),
            });
          case 'tool-input-delta':
            return controller.enqueue({ ...part, delta: call.session.restore(part.delta) });
          default:
            return controller.enqueue(part);
        }
      },
      flush: () => {
        settle();
        call.hold.settle(0);
        // A stream cut short (the client went away) still cost tokens we cannot count: log it.
        if (!finished)
          this.#calls.recordError(
            call,
            candidate,
            redact,
            new Error('stream ended early'),
            started,
            fallbackFrom,
          );
      },
    });
  }

  async #prepare(options: LanguageModelV3CallOptions): Promise<PreparedCall> {
    const context = readCallContext(options.providerOptions);
    const session = await this.#calls.session(context);
    // Redacting also classifies: the data classes decide which models may see the call.
    const redacted = redactPrompt(options.prompt, session);
    const admitted = await this.#calls.admit(context, session, () => ({
      characters: promptCharacters(options.prompt),
      maxOutputTokens: options.maxOutputTokens,
    }));
    return { ...admitted, redacted };
  }

  #optionsFor(
    options: LanguageModelV3CallOptions,
    candidate: RouteCandidate,
    prompt: LanguageModelV3CallOptions['prompt'],
  ): { callOptions: LanguageModelV3CallOptions; settle: () => void } {
    const { signal, settle } = this.#calls.deadline(candidate, options.abortSignal);
    return {
      callOptions: {
        ...options,
        prompt,
        providerOptions: withoutCallContext(options.providerOptions),
        abortSignal: signal,
      },
      settle,
    };
  }
}
