import type { Clock } from '../../core/clock.js';
import { ParleyError } from '../../core/errors.js';
import type { ModelCallRecord } from '../../core/model-calls.js';
import { ModelRefusedError } from '../../core/model-refusal.js';
import type { DataClassPolicy, ModelEntry, ModelPrice } from '../../core/model-settings.js';
import type { Transcriber } from '../../core/transcriber.js';
import type { BudgetGuard, BudgetHold } from '../budget-guard.js';
import type { CircuitBreaker } from '../circuit-breaker.js';
import { egressErrorCode, type EgressRecorder } from '../egress-recorder.js';
import { requestTranscription } from '../openai-transcriber.js';
import { costMicros } from '../price-table.js';
import { mayReceive } from '../routing/data-class-policy.js';

/** A voice note is a person speaking: personal data, and audio cannot be redacted. */
const VOICE_CLASSES = ['personal'];

export interface RoutedTranscriberDependencies {
  businessId: string;
  /** The `transcription` route: primary first, then fallbacks. */
  entries: readonly ModelEntry[];
  policy: DataClassPolicy;
  budget: BudgetGuard;
  recorder: EgressRecorder;
  clock: Clock;
  /** The breaker and price the gateway keeps per model. */
  candidate(entry: ModelEntry): { breaker: CircuitBreaker; price: ModelPrice };
  fetch?: typeof fetch | undefined;
  now?: () => number;
  onFallback?: (event: { from: string; to: string | null; error: unknown }) => void;
}

/** Providers that offer speech to text (`/audio/transcriptions`). */
function transcribes(entry: ModelEntry): boolean {
  return entry.provider === 'openai' || entry.provider === 'openai-compatible';
}

/**
 * Speech to text as a routed task, like chat: only models the business allows for personal data,
 * budgets checked, the primary then the fallbacks (skipping open breakers), and every call (or
 * refusal) in the egress log with its tokens and cost. Nothing is redacted: audio cannot be.
 */
export class RoutedTranscriber implements Transcriber {
  readonly #now: () => number;

  constructor(private readonly deps: RoutedTranscriberDependencies) {
    this.#now = deps.now ?? (() => performance.now());
  }

  async transcribe(input: {
    contactId?: string | null;
    bytes: Uint8Array;
    mimeType: string | null;
    filename: string;
  }): Promise<string> {
    const contactId = input.contactId ?? null;
    const allowed = this.deps.entries.filter(
      (entry) => transcribes(entry) && mayReceive(entry, VOICE_CLASSES, this.deps.policy),
    );
    let hold: BudgetHold;
    try {
      hold = await this.deps.budget.reserve(
        this.deps.businessId,
        contactId,
        this.#estimate(input.bytes.byteLength, allowed),
      );
    } catch (error) {
      this.#record(null, contactId, { outcome: 'refused', errorCode: 'budget_exhausted' });
      throw error;
    }
    try {
      return await this.#transcribeWith(allowed, input, contactId, hold);
    } finally {
      hold.settle(0); // a no-op after an answer: that settled with the call's cost
    }
  }

  /** The most this voice note may cost on a model billed by the minute (0 without a budget). */
  #estimate(bytes: number, allowed: readonly ModelEntry[]): number {
    if (!this.deps.budget.enabled) return 0;
    // Voice notes are Opus at 16–32 kbit/s: at most one second per 2,000 bytes.
    const audioSeconds = bytes / 2_000;
    const usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: null, audioSeconds };
    return Math.max(
      0,
      ...allowed.map((entry) => costMicros(usage, this.deps.candidate(entry).price)),
    );
  }

  async #transcribeWith(
    allowed: readonly ModelEntry[],
    input: { bytes: Uint8Array; mimeType: string | null; filename: string },
    contactId: string | null,
    hold: BudgetHold,
  ): Promise<string> {
    if (allowed.length === 0) {
      this.#record(null, contactId, { outcome: 'refused', errorCode: 'no_allowed_provider' });
      throw new ModelRefusedError(
        'no-allowed-provider',
        'No speech-to-text model may receive a voice note (personal data). Add an openai or openai-compatible model the business allows for personal data (models.dataClasses.personal) to the transcription route.',
      );
    }
    let fallbackFrom: string | null = null;
    let lastError: unknown = null;
    for (const entry of allowed) {
      const { breaker, price } = this.deps.candidate(entry);
      if (!breaker.tryAcquire()) {
        fallbackFrom ??= entry.id;
        continue;
      }
      const started = this.#now();
      try {
        const result = await requestTranscription(entry, input, {
          fetch: this.deps.fetch,
          signal: AbortSignal.timeout(entry.timeoutMs),
          verbose: (price.audioPerMinute ?? 0) > 0,
        });
        breaker.recordSuccess();
        const cost = costMicros({ ...result, cachedInputTokens: null }, price);
        this.#record(entry, contactId, {
          outcome: 'ok',
          errorCode: null,
          inputTokens: result.inputTokens,
          outputTokens: result.outputTokens,
          audioSeconds: result.audioSeconds,
          costMicros: cost,
          latencyMs: this.#now() - started,
          fallbackFrom,
        });
        hold.settle(cost);
        return result.text;
      } catch (error) {
        breaker.recordFailure();
        this.#record(entry, contactId, {
          outcome: 'error',
          errorCode: egressErrorCode(error),
          latencyMs: this.#now() - started,
          fallbackFrom,
        });
        this.deps.onFallback?.({ from: entry.id, to: null, error });
        fallbackFrom = entry.id;
        lastError = error;
      }
    }
    if (lastError instanceof Error) throw lastError;
    throw new ParleyError(
      'model_unavailable',
      'Every speech-to-text model is failing (circuit breakers open); Parley tries them again shortly.',
    );
  }

  #record(
    entry: ModelEntry | null,
    contactId: string | null,
    fields: Partial<ModelCallRecord>,
  ): void {
    this.deps.recorder.record({
      businessId: this.deps.businessId,
      contactId,
      conversationId: null,
      source: 'agent',
      task: 'transcription',
      modelId: entry?.id ?? '-',
      provider: entry?.provider ?? '-',
      location: entry?.location ?? 'local',
      dataClasses: VOICE_CLASSES,
      redactions: {},
      inputTokens: null,
      outputTokens: null,
      cachedInputTokens: null,
      costMicros: 0,
      latencyMs: 0,
      outcome: 'ok',
      errorCode: null,
      fallbackFrom: null,
      at: this.deps.clock.now(),
      ...fields,
    });
  }
}
