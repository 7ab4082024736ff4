import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Clock } from '../../core/clock.js';
import { ParleyError } from '../../core/errors.js';
import type { CallContext } from '../../core/model-call-context.js';
import type { ModelCallRecord, ModelTask } from '../../core/model-calls.js';
import { ModelRefusedError } from '../../core/model-refusal.js';
import type { DataClassPolicy, ModelEntry, ModelPrice } from '../../core/model-settings.js';
import type { BudgetGuard, BudgetHold } from '../budget-guard.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { egressErrorCode, type EgressRecorder } from '../egress-recorder.js';
import { RedactionSession } from '../pii/redaction-session.js';
import { costMicros } from '../price-table.js';
import { mayReceive } from './data-class-policy.js';

const NO_HOLD: BudgetHold = { settle: () => {} };

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
  /** Set when OpenAI-shaped requests may be forwarded to it as they are (`ChatPassThrough`). */
  upstream?: ChatUpstream | null;
}

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

export interface AdmittedCall {
  context: CallContext;
  session: RedactionSession;
  candidates: RouteCandidate[];
  /** The call's hold on today's budgets: settled with its cost, or 0 when it fails. */
  hold: BudgetHold;
  /** Scans the call's data now if it was left until the request was sent (`ChatPassThrough`). */
  classify?: () => void;
}

/** What a call may cost, for the budget hold while it runs: when unknown, this many tokens out. */
const OUTPUT_TOKENS_ESTIMATE = 1_000;

/** Tokens of one call, as the egress log and the price table count them. */
export interface CallTokens {
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
}

/**
 * What every call on a route goes through, whichever way it is made (the AI SDK's call options in
 * `RoutedLanguageModel`, or an OpenAI request passed through in `ChatPassThrough`): the redaction
 * session, admission (data-class policy and the budget hold), each attempt's deadline, and the
 * egress record of every attempt and refusal.
 */
export class RouteCalls {
  /** Monotonic milliseconds. */
  readonly now: () => number;

  constructor(readonly deps: RoutedModelDependencies) {
    this.now = deps.now ?? (() => performance.now());
  }

  get candidates(): readonly RouteCandidate[] {
    return this.deps.candidates;
  }
  async session(context: CallContext): Promise<RedactionSession> {
    const knownNames = context.contactId ? await this.deps.knownNames(context.contactId) : [];
    return new RedactionSession({
      defaultCountry: this.deps.defaultCountry ?? undefined,
      knownNames,
    });
  }

  /** Keeps the models allowed for the call's data classes and holds its budget, or refuses it. */
  async admit(
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

  redacts(candidate: RouteCandidate): boolean {
    if (this.deps.redaction === 'off') return false;
    return this.deps.redaction === 'all' || candidate.entry.location === 'external';
  }

  /** The candidate's deadline joined with the caller's signal; `settle` clears the timer. */
  deadline(
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

  exhausted(lastError: unknown): unknown {
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

  recordOk(
    call: AdmittedCall,
    candidate: RouteCandidate,
    redact: boolean,
    tokens: CallTokens,
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
      latencyMs: this.now() - started,
      outcome: 'ok',
      errorCode: null,
      fallbackFrom,
    });
    call.hold.settle(cost);
  }

  recordError(
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
      latencyMs: this.now() - started,
      outcome: 'error',
      errorCode: egressErrorCode(error),
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
