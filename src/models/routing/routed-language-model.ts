import { APICallError } from '@ai-sdk/provider';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { Clock } from '../../core/clock.js';
import { ParleyError } from '../../core/errors.js';
import type { ModelCallRecord, ModelTask } from '../../core/model-calls.js';
import { ModelRefusedError, isModelRefusal } from '../../core/model-refusal.js';
import type {
  DataClassName,
  DataClassPolicy,
  ModelEntry,
  ModelPrice,
} from '../../core/model-settings.js';
import type { BudgetGuard, BudgetHold } from '../budget-guard.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import type { EgressRecorder } from '../egress-recorder.js';
import { RedactionSession } from '../pii/redaction-session.js';
import { StreamingRestorer } from '../pii/streaming-restorer.js';
import { costMicros } from '../price-table.js';
import {
  readCallContext,
  withoutCallContext,
  type CallContext,
} from '../../core/model-call-context.js';
import { postJson, readText, type UpstreamResponse } from '../model-fetch.js';
import { ChatStreamRelay } from './chat-stream-relay.js';
import { mayReceive } from './data-class-policy.js';
import {
  redactMessages,
  restoreCompletion,
  usageFromWire,
  wireCharacters,
  type WireChatRequest,
  type WireMessage,
} from './openai-chat-wire.js';
import { redactPrompt, restoreContent, restoreToolInput } from './redact-prompt.js';

const NO_HOLD: BudgetHold = { settle: () => {} };
const EVERY_DATA_CLASS: readonly DataClassName[] = ['personal', 'payment', 'health'];

/** Where a model speaking OpenAI's chat completions protocol answers, for the pass-through. */
export interface ChatUpstream {
  /** `…/chat/completions` */
  url: URL;
  /** Sent with every request (content type, the provider's API key). */
  headers: Record<string, string>;
}

/** One model a route may use, with its breaker and price. */
export interface RouteCandidate {
  entry: ModelEntry;
  model: LanguageModelV3;
  breaker: CircuitBreaker;
  price: ModelPrice;
  /** Set when OpenAI-shaped requests may be forwarded to it as they are (see `forward`). */
  upstream?: ChatUpstream | null;
}

/** A forwarded chat completion: the whole answer, or a stream to relay. */
export type ForwardedChat =
  | { stream: false; body: string }
  | {
      stream: true;
      /**
       * Relays the stream through `write`; resolves when it ended (never rejects): true when the
       * upstream ended it, false when it was cut off.
       */
      relay(write: (text: string) => void): Promise<boolean>;
    };

export interface RoutedModelDependencies {
  businessId: string;
  task: ModelTask;
  /** Primary first, then fallbacks in order. */
  candidates: readonly RouteCandidate[];
  policy: DataClassPolicy;
  redaction: 'external' | 'all' | 'off';
  /** For national phone numbers: the business's country. */
  defaultCountry: string | null;
  knownNames(contactId: string): Promise<string[]>;
  budget: BudgetGuard;
  recorder: EgressRecorder;
  clock: Clock;
  /** Monotonic milliseconds. */
  now?: () => number;
  onFallback?: (event: { from: string; to: string | null; error: unknown }) => void;
}

interface AdmittedCall {
  context: CallContext;
  session: RedactionSession;
  candidates: RouteCandidate[];
  /** The call's hold on today's budgets: settled with its cost, or 0 when it fails. */
  hold: BudgetHold;
  /** Scans the call's data now if that was left until its request was sent (see `forward`). */
  classify?: () => void;
}

interface PreparedCall extends AdmittedCall {
  redacted: LanguageModelV3CallOptions['prompt'];
}

/** What a call may cost, for the budget hold while it runs: when unknown, this many tokens out. */
const OUTPUT_TOKENS_ESTIMATE = 1_000;

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

function usageNumbers(usage: LanguageModelV3Usage | undefined) {
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
  readonly #now: () => number;
  /**
   * True when no model on the route is redacted for and each may receive every data class: the
   * call's classes then only go to the egress log and cannot change where the call goes.
   */
  readonly #classesOnlyLogged: boolean;

  constructor(private readonly deps: RoutedModelDependencies) {
    this.modelId = deps.task;
    this.#now = deps.now ?? (() => performance.now());
    this.#classesOnlyLogged = deps.candidates.every(
      (candidate) =>
        !this.#redacts(candidate) && mayReceive(candidate.entry, EVERY_DATA_CLASS, deps.policy),
    );
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
      const redact = this.#redacts(candidate);
      const started = this.#now();
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
        this.#recordOk(call, candidate, redact, usageNumbers(result.usage), started, fallbackFrom);
        return redact
          ? { ...result, content: restoreContent(call.session, result.content) }
          : result;
      } catch (error) {
        if (options.abortSignal?.aborted) throw error;
        candidate.breaker.recordFailure();
        this.#recordError(call, candidate, redact, error, started, fallbackFrom);
        this.deps.onFallback?.({ from: candidate.entry.id, to: null, error });
        fallbackFrom = candidate.entry.id;
        lastError = error;
      }
    }
    throw this.#exhausted(lastError);
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
      const redact = this.#redacts(candidate);
      const started = this.#now();
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
        this.#recordError(call, candidate, redact, error, started, fallbackFrom);
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
    throw this.#exhausted(lastError);
  }

  /** Whether every model on the route takes OpenAI's chat requests as they are (`forward`). */
  get forwardsChat(): boolean {
    return this.deps.candidates.every((candidate) => candidate.upstream);
  }

  /**
   * The pass-through: an OpenAI chat request forwarded to the route's models as it came (model
   * name swapped, messages redacted where the model is external) and their answer relayed back
   * with placeholders restored, instead of converted to the SDK's call options and back. The same
   * guarantees as `doGenerate`/`doStream`: data-class policy, budget hold, breakers, fallbacks until
   * an answer starts, and one egress record per attempt with its tokens and cost. Only for routes
   * whose every model `forwardsChat`.
   */
  async forward(
    request: WireChatRequest,
    context: CallContext,
    abortSignal: AbortSignal,
  ): Promise<ForwardedChat> {
    const session = await this.#session(context);
    // Redacting also classifies. When the classes cannot change where the call goes and nothing
    // is redacted (a route of local models), the scan waits until the request is on its way and
    // runs while the model works, off the time to the answer. Tool-call arguments are still
    // scanned first: one that is not JSON refuses the request before anything is sent.
    let redactedMessages: WireMessage[] | null = null;
    const classify = () => (redactedMessages ??= redactMessages(session, request.messages));
    const late = this.#classesOnlyLogged && !request.messages.some((message) => message.tool_calls);
    if (!late) classify();
    const call = await this.#admit(
      context,
      session,
      () => ({
        characters: wireCharacters(request.messages),
        maxOutputTokens: request.max_completion_tokens ?? request.max_tokens,
      }),
      late ? classify : undefined,
    );
    abortSignal.addEventListener('abort', () => call.hold.settle(0), { once: true });
    const stream = request.stream === true;
    let fallbackFrom: string | null = null;
    let lastError: unknown = null;
    for (const candidate of call.candidates) {
      const upstream = candidate.upstream;
      if (!upstream || !candidate.breaker.tryAcquire()) {
        fallbackFrom ??= candidate.entry.id;
        continue;
      }
      const redact = this.#redacts(candidate);
      const started = this.#now();
      const { signal, settle } = this.#deadline(candidate, abortSignal);
      const payload = JSON.stringify({
        ...request,
        model: candidate.entry.model,
        messages: redact ? classify() : request.messages,
        // Always asked for, so the call's tokens and cost are known; passed on only if asked.
        ...(stream ? { stream_options: { ...request.stream_options, include_usage: true } } : {}),
      });
      let body: string | null = null;
      let response: UpstreamResponse;
      try {
        const answer = postJson(upstream.url, upstream.headers, payload, signal);
        // After the HTTP client's own write, which it queues the same way.
        if (late) setImmediate(classify);
        response = await answer;
        if (response.status < 200 || response.status > 299 || !stream) {
          body = await readText(response, signal);
        }
        if (response.status < 200 || response.status > 299) {
          throw new APICallError({
            message: `The model answered ${response.status}.`,
            url: upstream.url.href,
            requestBodyValues: {},
            statusCode: response.status,
            responseBody: body ?? '',
          });
        }
      } catch (error) {
        settle();
        if (abortSignal.aborted) {
          call.hold.settle(0);
          throw error;
        }
        candidate.breaker.recordFailure();
        this.#recordError(call, candidate, redact, error, started, fallbackFrom);
        this.deps.onFallback?.({ from: candidate.entry.id, to: null, error });
        fallbackFrom = candidate.entry.id;
        lastError = error;
        continue;
      }
      if (body !== null) {
        settle();
        let completion: Parameters<typeof restoreCompletion>[1];
        try {
          completion = JSON.parse(body) as Parameters<typeof restoreCompletion>[1];
        } catch (error) {
          candidate.breaker.recordFailure();
          this.#recordError(call, candidate, redact, error, started, fallbackFrom);
          fallbackFrom = candidate.entry.id;
          lastError = error;
          continue;
        }
        candidate.breaker.recordSuccess();
        const tokens = usageFromWire(completion.usage);
        this.#recordOk(call, candidate, redact, tokens, started, fallbackFrom);
        if (!redact) return { stream: false, body };
        restoreCompletion(session, completion);
        return { stream: false, body: JSON.stringify(completion) };
      }
      const from = fallbackFrom;
      const relay = new ChatStreamRelay(
        redact ? session : null,
        request.stream_options?.include_usage === true,
      );
      return {
        stream: true,
        relay: (write) =>
          new Promise<boolean>((resolve) => {
            let ended = false;
            const source = response.body;
            source.setEncoding('utf8');
            source.on('data', (text: string) => {
              const out = relay.push(text);
              if (out !== '') write(out);
            });
            const finish = (complete: boolean) => {
              if (ended) return;
              ended = true;
              settle();
              const rest = complete ? relay.end() : '';
              if (rest !== '') write(rest);
              if (complete && relay.finished && !relay.failed) {
                candidate.breaker.recordSuccess();
                const tokens = usageFromWire(relay.usage);
                this.#recordOk(call, candidate, redact, tokens, started, from);
              } else {
                if (relay.failed) candidate.breaker.recordFailure();
                const reason = relay.failed
                  ? 'the model failed while answering'
                  : 'stream ended early';
                this.#recordError(call, candidate, redact, new Error(reason), started, from);
              }
              call.hold.settle(0); // a no-op after an answer: that settled with the call's cost
              resolve(complete);
            };
            source.once('end', () => finish(true));
            source.once('error', () => finish(false));
            source.once('close', () => finish(false));
          }),
      };
    }
    call.hold.settle(0);
    throw this.#exhausted(lastError);
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
          this.#recordOk(call, candidate, redact, usageNumbers(part.usage), started, fallbackFrom);
        } else if (part.type === 'error') {
          finished = true;
          candidate.breaker.recordFailure();
          this.#recordError(call, candidate, redact, part.error, started, fallbackFrom);
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
          this.#recordError(
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
    const session = await this.#session(context);
    // Redacting also classifies: the data classes decide which models may see the call.
    const redacted = redactPrompt(options.prompt, session);
    const admitted = await this.#admit(context, session, () => ({
      characters: promptCharacters(options.prompt),
      maxOutputTokens: options.maxOutputTokens,
    }));
    return { ...admitted, redacted };
  }

  async #session(context: CallContext): Promise<RedactionSession> {
    const knownNames = context.contactId ? await this.deps.knownNames(context.contactId) : [];
    return new RedactionSession({
      defaultCountry: this.deps.defaultCountry ?? undefined,
      knownNames,
    });
  }

  /** Keeps the models allowed for the call's data classes and holds its budget, or refuses it. */
  async #admit(
    context: CallContext,
    session: RedactionSession,
    size: () => { characters: number; maxOutputTokens: number | null | undefined },
    classify?: () => void,
  ): Promise<AdmittedCall> {
    // Not yet classified (`classify` set): every model on the route may receive every class.
    const classes = session.dataClasses;
    const candidates = this.deps.candidates.filter((candidate) =>
      mayReceive(candidate.entry, classes, this.deps.policy),
    );
    const prepared: AdmittedCall = { context, session, candidates, hold: NO_HOLD };
    if (classify) prepared.classify = classify;
    try {
      prepared.hold = await this.deps.budget.reserve(
        this.deps.businessId,
        context.contactId,
        this.#estimate(size, candidates),
      );
    } catch (error) {
      this.#recordRefusal(prepared, 'budget_exhausted');
      throw error;
    }
    if (candidates.length === 0) {
      prepared.hold.settle(0);
      this.#recordRefusal(prepared, 'no_allowed_provider');
      throw new ModelRefusedError(
        'no-allowed-provider',
        `No model configured for ${this.deps.task} may receive ${classes.join(' and ')} data. The turn goes to menus or a person; allow a model for these classes under models.dataClasses, or add a local model to the route.`,
      );
    }
    return prepared;
  }

  /** The most this call may cost on any model it may go to (0 when no budget is set). */
  #estimate(
    size: () => { characters: number; maxOutputTokens: number | null | undefined },
    candidates: RouteCandidate[],
  ): number {
    if (!this.deps.budget.enabled || candidates.length === 0) return 0;
    const { characters, maxOutputTokens } = size();
    const usage = {
      inputTokens: Math.ceil(characters / 4),
      outputTokens: maxOutputTokens ?? OUTPUT_TOKENS_ESTIMATE,
      cachedInputTokens: null,
    };
    return Math.max(...candidates.map((candidate) => costMicros(usage, candidate.price)));
  }

  #redacts(candidate: RouteCandidate): boolean {
    if (this.deps.redaction === 'off') return false;
    return this.deps.redaction === 'all' || candidate.entry.location === 'external';
  }

  #optionsFor(
    options: LanguageModelV3CallOptions,
    candidate: RouteCandidate,
    prompt: LanguageModelV3CallOptions['prompt'],
  ): { callOptions: LanguageModelV3CallOptions; settle: () => void } {
    const { signal, settle } = this.#deadline(candidate, options.abortSignal);
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

  /** The candidate's deadline joined with the caller's signal; `settle` clears the timer. */
  #deadline(
    candidate: RouteCandidate,
    caller: AbortSignal | undefined,
  ): { signal: AbortSignal; settle: () => void } {
    // A plain timer rather than AbortSignal.timeout/any: cheaper on the hot path, and cleared as
    // soon as the caller's signal or the response settles the call.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException('The model did not answer in time.', 'TimeoutError')),
      candidate.entry.timeoutMs,
    );
    timer.unref();
    if (caller) {
      if (caller.aborted) controller.abort(caller.reason);
      else caller.addEventListener('abort', () => controller.abort(caller.reason), { once: true });
    }
    return { signal: controller.signal, settle: () => clearTimeout(timer) };
  }

  #exhausted(lastError: unknown): unknown {
    if (lastError !== null) return lastError;
    // Not a refusal: the models are failing, and the agent's failure path (a person) applies.
    return new ParleyError(
      'model_unavailable',
      `Every model for ${this.deps.task} is failing (circuit breakers open); Parley tries them again shortly.`,
    );
  }

  #base(
    call: AdmittedCall,
    redact: boolean,
  ): Omit<
    ModelCallRecord,
    | 'modelId'
    | 'provider'
    | 'location'
    | 'inputTokens'
    | 'outputTokens'
    | 'cachedInputTokens'
    | 'costMicros'
    | 'latencyMs'
    | 'outcome'
    | 'errorCode'
    | 'fallbackFrom'
  > {
    call.classify?.();
    return {
      businessId: this.deps.businessId,
      contactId: call.context.contactId,
      conversationId: call.context.conversationId,
      source: call.context.source,
      task: this.deps.task,
      dataClasses: call.session.dataClasses,
      redactions: redact ? call.session.counts : {},
      at: this.deps.clock.now(),
    };
  }

  #recordOk(
    call: AdmittedCall,
    candidate: RouteCandidate,
    redact: boolean,
    tokens: ReturnType<typeof usageNumbers>,
    started: number,
    fallbackFrom: string | null,
  ): void {
    const cost = costMicros(tokens, candidate.price);
    this.deps.recorder.record({
      ...this.#base(call, redact),
      modelId: candidate.entry.id,
      provider: candidate.entry.provider,
      location: candidate.entry.location,
      ...tokens,
      costMicros: cost,
      latencyMs: this.#now() - started,
      outcome: 'ok',
      errorCode: null,
      fallbackFrom,
    });
    call.hold.settle(cost);
  }

  #recordError(
    call: AdmittedCall,
    candidate: RouteCandidate,
    redact: boolean,
    error: unknown,
    started: number,
    fallbackFrom: string | null,
  ): void {
    this.deps.recorder.record({
      ...this.#base(call, redact),
      modelId: candidate.entry.id,
      provider: candidate.entry.provider,
      location: candidate.entry.location,
      inputTokens: null,
      outputTokens: null,
      cachedInputTokens: null,
      costMicros: 0,
      latencyMs: this.#now() - started,
      outcome: 'error',
      errorCode: errorCode(error),
      fallbackFrom,
    });
  }

  #recordRefusal(call: AdmittedCall, code: string): void {
    this.deps.recorder.record({
      ...this.#base(call, false),
      modelId: '-',
      provider: '-',
      location: 'local',
      inputTokens: null,
      outputTokens: null,
      cachedInputTokens: null,
      costMicros: 0,
      latencyMs: 0,
      outcome: 'refused',
      errorCode: code,
      fallbackFrom: null,
    });
  }
}

/** A short stable code for the egress log (never the message: it may quote the prompt). */
function errorCode(error: unknown): string {
  if (isModelRefusal(error)) return error.reason;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') return `http_${status}`;
  return name || 'error';
}
