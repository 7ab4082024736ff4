import type { EmbeddingModelV3 } from '@ai-sdk/provider';
import type { Clock } from '../core/clock.js';
import { ParleyError, notFound } from '../core/errors.js';
import type { ModelCallRepository, ModelTask } from '../core/model-calls.js';
import { ModelRefusedError } from '../core/model-refusal.js';
import type { ModelBinding } from '../core/model.js';
import type {
  BudgetSettings,
  ModelEntry,
  ModelPrice,
  ModelsSettings,
} from '../core/model-settings.js';
import { BudgetGuard, type BudgetAlert, type BudgetHold } from './budget-guard.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { EgressRecorder } from './egress-recorder.js';
import { checkModelLicence, type LicenceVerdict } from './licences/check-model-licence.js';
import type { ModelPuller } from './local/model-puller.js';
import { RedactionSession } from './pii/redaction-session.js';
import { costMicros, priceFor } from './price-table.js';
import {
  createEmbeddingModel,
  createLanguageModel,
  type ProviderSeams,
} from './provider-models.js';
import type { CallContext } from '../core/model-call-context.js';
import { mayReceive } from './routing/data-class-policy.js';
import { RoutedLanguageModel } from './routing/routed-language-model.js';
import type { RouteCandidate } from './routing/route-calls.js';
import { chatUpstream } from './routing/chat-upstream.js';
import { RoutedTranscriber } from './transcription/routed-transcriber.js';
import type { Transcriber } from '../core/transcriber.js';

export interface ModelGatewayDependencies extends ProviderSeams {
  businessId: string;
  settings: ModelsSettings;
  ledger: ModelCallRepository;
  /** The names the business knows for a contact (for redaction). */
  knownNames(contactId: string): Promise<string[]>;
  clock: Clock;
  /** The business's IANA time zone: budgets count its days. Default UTC. */
  timeZone?: string;
  now?: () => number;
  onBudgetAlert?: (alert: BudgetAlert) => void;
  onFallback?: (event: { from: string; to: string | null; error: unknown }) => void;
  onRecordError?: (error: unknown) => void;
  /** Downloads of local models started from the console (absent: not offered). */
  puller?: ModelPuller;
  /** What the business file should change, shown to the owner (e.g. a deprecated section). */
  configWarnings?: readonly string[];
  /** Frees what the providers hold (the embedded runtime's workers); called by `close`. */
  dispose?: () => Promise<void>;
}

/** A model as the gateway lists it (`/v1/models`, the console). */
export interface GatewayModel {
  id: string;
  model: string;
  provider: string;
  location: 'local' | 'external';
}

/**
 * Every configured model of one business behind one front: routes per task (primary, fallbacks,
 * breakers), data-class policy, redaction, budgets, licences and the egress log. The agent gets a
 * `ModelBinding` per task; the OpenAI-compatible endpoint gets routes by task or model id.
 */
export class ModelGateway {
  readonly licences: LicenceVerdict[];
  readonly recorder: EgressRecorder;
  readonly budget: BudgetGuard;
  readonly #candidates = new Map<string, RouteCandidate>();
  readonly #routes = new Map<string, RoutedLanguageModel>();
  readonly #embeddings = new Map<string, EmbeddingModelV3 | null>();
  #transcriber: RoutedTranscriber | null = null;

  constructor(private readonly deps: ModelGatewayDependencies) {
    const { settings } = deps;
    this.licences = settings.catalog.map((entry) => checkModelLicence(entry, settings.licensing));
    const refused = this.licences.filter((verdict) => verdict.status === 'refused');
    if (refused.length > 0) {
      throw new ParleyError(
        'config_invalid',
        [
          "These models' licences exclude this business, so Parley will not use them:",
          ...refused.map(
            (verdict) => `models.catalog.${verdict.modelId}: ${verdict.reasons.join(' ')}`,
          ),
          'Choose another model, or correct business.domicile and business.monthlyActiveUsers in the business file if they are wrong.',
        ].join('\n'),
        {
          issues: refused.map((verdict) => ({
            path: `models.catalog.${verdict.modelId}`,
            message: verdict.reasons.join(' '),
          })),
        },
      );
    }
    this.recorder = new EgressRecorder(deps.ledger, {
      ...(deps.onRecordError ? { onError: deps.onRecordError } : {}),
    });
    const recorder = this.recorder;
    this.budget = new BudgetGuard(settings.budgets, deps.ledger, deps.clock, deps.onBudgetAlert, {
      ...(deps.timeZone ? { timeZone: deps.timeZone } : {}),
      unstoredMicros: (businessId, contactId, since) =>
        recorder.unstoredCostMicros(businessId, contactId, since),
    });
  }

  /** The models of the catalog. */
  listModels(): GatewayModel[] {
    return this.deps.settings.catalog.map((entry) => ({
      id: entry.id,
      model: entry.model,
      provider: entry.provider,
      location: entry.location,
    }));
  }

  /** Local model downloads, when this process offers them. */
  get puller(): ModelPuller | null {
    return this.deps.puller ?? null;
  }

  /** The configured models (for reports such as the what-if calculator). */
  get catalog(): readonly ModelEntry[] {
    return this.deps.settings.catalog;
  }

  /** Price overrides from the business file. */
  get prices(): Readonly<Record<string, ModelPrice>> {
    return this.deps.settings.prices;
  }

  /** Each task's route: the primary model, then the fallbacks. */
  get routes(): ModelsSettings['tasks'] {
    return this.deps.settings.tasks;
  }

  /** The business's domicile and size, against which licences are checked. */
  get licensing(): ModelsSettings['licensing'] {
    return this.deps.settings.licensing;
  }

  /** The business's time zone: its days are the budgets' and the cost page's days. */
  get timeZone(): string {
    return this.deps.timeZone ?? 'UTC';
  }

  /** Warnings about the business file's models settings, for the owner's Models page. */
  get warnings(): readonly string[] {
    return this.deps.configWarnings ?? [];
  }

  /** The daily budgets this gateway enforces. */
  get budgetSettings(): BudgetSettings {
    return this.deps.settings.budgets;
  }

  /** Tasks with a configured route. */
  get tasks(): ModelTask[] {
    return Object.keys(this.deps.settings.tasks) as ModelTask[];
  }

  /** The route for a task, as the agent's model binding; null when the task has no route. */
  bindingFor(task: ModelTask): ModelBinding | null {
    const route = this.modelFor(task);
    if (!route) return null;
    const entries = this.#routeEntries(task);
    return {
      model: route,
      name:
        entries.length === 1
          ? entries[0]!.model
          : `${task} (${entries.map((entry) => entry.id).join(' → ')})`,
      // The caller's deadline covers the primary and every fallback.
      timeoutMs: entries.reduce((sum, entry) => sum + entry.timeoutMs, 0),
      // A fallback that cannot see images must not be handed them: all or none.
      acceptsImages: entries.every((entry) => entry.images),
    };
  }

  /** The routed model for a task, or null. */
  modelFor(task: ModelTask): RoutedLanguageModel | null {
    if (!this.deps.settings.tasks[task]) return null;
    return this.#route(task, task, this.#routeEntries(task));
  }

  /** A route of one catalog model (a gateway client asked for it by id), with the same policies. */
  modelById(id: string): RoutedLanguageModel | null {
    const entry = this.deps.settings.catalog.find((candidate) => candidate.id === id);
    return entry ? this.#route(`model:${id}`, 'owner-workspace', [entry]) : null;
  }

  /**
   * Embeds `values` with the `embeddings` route (or one model): same data-class policy, redaction,
   * budget and egress log as chat. Falls back along the route on failure.
   */
  async embed(
    values: string[],
    context: CallContext,
    modelId?: string,
  ): Promise<{ embeddings: number[][]; modelId: string; inputTokens: number | null }> {
    const entries = modelId
      ? this.deps.settings.catalog.filter((entry) => entry.id === modelId)
      : this.#routeEntries('embeddings');
    if (entries.length === 0) {
      throw modelId
        ? notFound(`Model ${modelId}`)
        : new ModelRefusedError(
            'no-model-configured',
            'No embeddings model is configured. Add a route under models.tasks.embeddings.',
          );
    }
    const session = new RedactionSession({
      defaultCountry: this.deps.settings.licensing.domicile ?? undefined,
      knownNames: context.contactId ? await this.deps.knownNames(context.contactId) : [],
    });
    const redacted = values.map((value) => session.redact(value));
    const allowed = entries.filter((entry) =>
      mayReceive(entry, session.dataClasses, this.deps.settings.dataClasses),
    );
    // Like chat, a call holds its estimated cost while it runs, so a burst of concurrent embedding
    // calls cannot all pass a nearly spent budget.
    const hold = await this.budget.reserve(
      this.deps.businessId,
      context.contactId,
      this.#embeddingEstimate(values, allowed),
    );
    try {
      if (allowed.length === 0) {
        throw new ModelRefusedError(
          'no-allowed-provider',
          `No embeddings model may receive ${session.dataClasses.join(' and ')} data. Allow one under models.dataClasses.`,
        );
      }
      return await this.#embedWith(allowed, { values, redacted, session, context, hold });
    } finally {
      hold.settle(0); // a no-op after an answer: that settled with the call's cost
    }
  }

  /** The most embedding `values` may cost on any allowed model (0 when no budget is set). */
  #embeddingEstimate(values: readonly string[], allowed: readonly ModelEntry[]): number {
    if (!this.budget.enabled || allowed.length === 0) return 0;
    const characters = values.reduce((sum, value) => sum + value.length, 0);
    const usage = {
      inputTokens: Math.ceil(characters / 4),
      outputTokens: 0,
      cachedInputTokens: null,
    };
    return Math.max(...allowed.map((entry) => costMicros(usage, this.#candidate(entry).price)));
  }

  async #embedWith(
    allowed: readonly ModelEntry[],
    call: {
      values: string[];
      redacted: string[];
      session: RedactionSession;
      context: CallContext;
      hold: BudgetHold;
    },
  ): Promise<{ embeddings: number[][]; modelId: string; inputTokens: number | null }> {
    const { values, redacted, session, context, hold } = call;
    let lastError: unknown = null;
    let fallbackFrom: string | null = null;
    for (const entry of allowed) {
      const model = this.#embeddingModel(entry);
      if (!model) continue;
      const candidate = this.#candidate(entry);
      if (!candidate.breaker.tryAcquire()) continue;
      const redact =
        this.deps.settings.redaction === 'all' ||
        (this.deps.settings.redaction === 'external' && entry.location === 'external');
      const now = this.deps.now ?? (() => performance.now());
      const started = now();
      const base = {
        businessId: this.deps.businessId,
        contactId: context.contactId,
        conversationId: context.conversationId,
        source: context.source,
        task: 'embeddings' as const,
        modelId: entry.id,
        provider: entry.provider,
        location: entry.location,
        dataClasses: session.dataClasses,
        redactions: redact ? session.counts : {},
        at: this.deps.clock.now(),
        fallbackFrom,
      };
      try {
        const result = await model.doEmbed({
          values: redact ? redacted : values,
          abortSignal: AbortSignal.timeout(entry.timeoutMs),
        });
        candidate.breaker.recordSuccess();
        const inputTokens = result.usage?.tokens ?? null;
        const cost = costMicros(
          { inputTokens, outputTokens: 0, cachedInputTokens: null },
          candidate.price,
        );
        this.recorder.record({
          ...base,
          inputTokens,
          outputTokens: 0,
          cachedInputTokens: null,
          costMicros: cost,
          latencyMs: now() - started,
          outcome: 'ok',
          errorCode: null,
        });
        hold.settle(cost);
        return { embeddings: result.embeddings, modelId: entry.id, inputTokens };
      } catch (error) {
        candidate.breaker.recordFailure();
        this.recorder.record({
          ...base,
          inputTokens: null,
          outputTokens: null,
          cachedInputTokens: null,
          costMicros: 0,
          latencyMs: now() - started,
          outcome: 'error',
          errorCode: error instanceof Error ? error.name : 'error',
        });
        fallbackFrom = entry.id;
        lastError = error;
      }
    }
    if (lastError instanceof Error) throw lastError;
    throw new ModelRefusedError(
      'no-model-configured',
      'None of the configured embeddings models can embed text. Use an openai, openai-compatible or embedded (GGUF) embedding model; Anthropic offers none.',
    );
  }

  /**
   * Speech to text through the `transcription` route, with the same data-class policy (a voice
   * note is personal data), budgets, breakers and egress log as chat; null when there is no route.
   */
  get transcriber(): Transcriber | null {
    if (!this.deps.settings.tasks.transcription) return null;
    this.#transcriber ??= new RoutedTranscriber({
      businessId: this.deps.businessId,
      entries: this.#routeEntries('transcription'),
      policy: this.deps.settings.dataClasses,
      budget: this.budget,
      recorder: this.recorder,
      clock: this.deps.clock,
      candidate: (entry) => this.#candidate(entry),
      fetch: this.deps.fetch,
      ...(this.deps.now ? { now: this.deps.now } : {}),
      ...(this.deps.onFallback ? { onFallback: this.deps.onFallback } : {}),
    });
    return this.#transcriber;
  }

  /** Writes the egress log's pending records and stops local model workers. */
  async close(): Promise<void> {
    await this.recorder.flush();
    await this.deps.dispose?.();
  }

  #routeEntries(task: ModelTask): ModelEntry[] {
    const route = this.deps.settings.tasks[task];
    if (!route) return [];
    return [route.primary, ...route.fallbacks].flatMap((id) => {
      const entry = this.deps.settings.catalog.find((candidate) => candidate.id === id);
      return entry ? [entry] : [];
    });
  }

  #candidate(entry: ModelEntry): RouteCandidate {
    let candidate = this.#candidates.get(entry.id);
    if (!candidate) {
      candidate = {
        entry,
        // Cheap for HTTP providers; the embedded runtime's model loads its weights on first call.
        model: createLanguageModel(entry, { fetch: this.deps.fetch, embedded: this.deps.embedded }),
        breaker: new CircuitBreaker(this.deps.clock, this.deps.settings.circuitBreaker),
        price: priceFor(entry, this.deps.settings.prices).price,
        upstream: this.deps.fetch ? null : chatUpstream(entry),
      };
      this.#candidates.set(entry.id, candidate);
    }
    return candidate;
  }

  #embeddingModel(entry: ModelEntry): EmbeddingModelV3 | null {
    if (!this.#embeddings.has(entry.id)) {
      this.#embeddings.set(
        entry.id,
        createEmbeddingModel(entry, {
          fetch: this.deps.fetch,
          embeddedEmbeddings: this.deps.embeddedEmbeddings,
        }),
      );
    }
    return this.#embeddings.get(entry.id) ?? null;
  }

  #route(key: string, task: ModelTask, entries: ModelEntry[]): RoutedLanguageModel {
    let route = this.#routes.get(key);
    if (!route) {
      route = new RoutedLanguageModel({
        businessId: this.deps.businessId,
        task,
        candidates: entries.map((entry) => this.#candidate(entry)),
        policy: this.deps.settings.dataClasses,
        redaction: this.deps.settings.redaction,
        defaultCountry: this.deps.settings.licensing.domicile,
        knownNames: (contactId) => this.deps.knownNames(contactId),
        budget: this.budget,
        recorder: this.recorder,
        clock: this.deps.clock,
        ...(this.deps.now ? { now: this.deps.now } : {}),
        ...(this.deps.onFallback ? { onFallback: this.deps.onFallback } : {}),
      });
      this.#routes.set(key, route);
    }
    return route;
  }
}
