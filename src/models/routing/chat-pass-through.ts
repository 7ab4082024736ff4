import { APICallError } from '@ai-sdk/provider';
import type { CallContext } from '../../core/model-call-context.js';
import type { DataClassName } from '../../core/model-settings.js';
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
import type { RouteCalls } from './route-calls.js';

const EVERY_DATA_CLASS: readonly DataClassName[] = ['personal', 'payment', 'health'];

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

/**
 * A route's pass-through, for routes whose every model speaks OpenAI's chat protocol
 * (`RoutedLanguageModel.forwardsChat`): see `forward`.
 */
export class ChatPassThrough {
  /**
   * True when no model on the route is redacted for and each may receive every data class: the
   * call's classes then only go to the egress log and cannot change where the call goes.
   */
  readonly #classesOnlyLogged: boolean;

  constructor(private readonly calls: RouteCalls) {
    this.#classesOnlyLogged = calls.candidates.every(
      (candidate) =>
        !calls.redacts(candidate) &&
        mayReceive(candidate.entry, EVERY_DATA_CLASS, calls.deps.policy),
    );
  }

  /**
   * The pass-through: an OpenAI chat request forwarded to the route's models as it came (model
   * name swapped, messages redacted where the model is external) and their answer relayed back
   * with placeholders restored, instead of converted to the SDK's call options and back. The same
   * guarantees as the SDK's path: data-class policy, budget hold, breakers, fallbacks until an
   * answer starts, and one egress record per attempt with its tokens and cost.
   */
  async forward(
    request: WireChatRequest,
    context: CallContext,
    abortSignal: AbortSignal,
  ): Promise<ForwardedChat> {
    const session = await this.calls.session(context);
    // Redacting also classifies. When the classes cannot change where the call goes and nothing
    // is redacted (a route of local models), the scan waits until the request is on its way and
    // runs while the model works, off the time to the answer. Tool-call arguments are still
    // scanned first: one that is not JSON refuses the request before anything is sent.
    let redactedMessages: WireMessage[] | null = null;
    const classify = () => (redactedMessages ??= redactMessages(session, request.messages));
    const late = this.#classesOnlyLogged && !request.messages.some((message) => message.tool_calls);
    if (!late) classify();
    const call = await this.calls.admit(
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
      const redact = this.calls.redacts(candidate);
      const started = this.calls.now();
      const { signal, settle } = this.calls.deadline(candidate, abortSignal);
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
        this.calls.recordError(call, candidate, redact, error, started, fallbackFrom);
        this.calls.deps.onFallback?.({ from: candidate.entry.id, to: null, error });
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
          this.calls.recordError(call, candidate, redact, error, started, fallbackFrom);
          fallbackFrom = candidate.entry.id;
          lastError = error;
          continue;
        }
        candidate.breaker.recordSuccess();
        const tokens = usageFromWire(completion.usage);
        this.calls.recordOk(call, candidate, redact, tokens, started, fallbackFrom);
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
                this.calls.recordOk(call, candidate, redact, tokens, started, from);
              } else {
                if (relay.failed) candidate.breaker.recordFailure();
                const reason = relay.failed
                  ? 'the model failed while answering'
                  : 'stream ended early';
                this.calls.recordError(call, candidate, redact, new Error(reason), started, from);
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
    throw this.calls.exhausted(lastError);
  }
}
