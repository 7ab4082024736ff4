import type { ModelLocation, ModelTask } from './model-calls.js';

/** How Parley talks to a model. */
export type ProviderKind = 'openai-compatible' | 'openai' | 'anthropic' | 'embedded';

/** What personal data a turn holds, for routing (see `DataClassPolicy`). */
export type DataClassName = 'personal' | 'payment' | 'health';

/** Per-token prices in the price table's currency, per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Cached input tokens (prompt caching); null means billed as ordinary input. */
  cachedInputPerMillion: number | null;
  /** Speech to text billed by the minute of audio (`whisper-1`), on top of any tokens. */
  audioPerMinute?: number | undefined;
}

/**
 * The cost of a model on one's own hardware, put on the same per-token basis as an API: the
 * machine's cost per hour (rent, or purchase ÷ hours of life, plus energy) over what it produces.
 */
export interface AmortisedCost {
  hardwarePerHour: number;
  /** Measured output tokens per second of the model on that machine. */
  tokensPerSecond: number;
}

/** One configured model: a provider, its address and the facts Parley needs to route and price. */
export interface ModelEntry {
  /** The key the business chose, used in routes and logs, e.g. `local-qwen`. */
  id: string;
  provider: ProviderKind;
  /** The model's name at the provider (`gpt-4.1-mini`, `qwen2.5:7b-instruct`), or the GGUF file. */
  model: string;
  baseUrl: string | null;
  apiKey: string | null;
  location: ModelLocation;
  timeoutMs: number;
  /** Null: looked up in Parley's price table (hosted models) or free (local, no amortised cost). */
  price: ModelPrice | null;
  amortised: AmortisedCost | null;
  /** Embedded runtime only: CPU threads and parallel sequences. */
  threads: number | null;
  sequences: number | null;
  contextSize: number | null;
  /** Licence registry key to use instead of matching the model name (e.g. `llama-4`). */
  licence: string | null;
  /** Reads images (a vision model): customers' photos go to it as image parts, not as a note. */
  images: boolean;
}

export interface TaskRoute {
  primary: string;
  fallbacks: string[];
}

/**
 * Which models may receive each data class: `local`, `external` (any hosted provider, always after
 * redaction), or model ids. A class not listed may go anywhere (redacted when external).
 */
export type DataClassPolicy = Partial<Record<DataClassName, string[]>>;

export interface BudgetSettings {
  /** Null means no limit. Amounts are in the price table's currency. */
  perBusinessPerDay: number | null;
  perContactPerDay: number | null;
  /** Fraction of a budget at which an alert is logged, e.g. 0.8. */
  alertAt: number;
}

export interface LicensingProfile {
  /** ISO 3166-1 alpha-2 country of the business's principal place of business, e.g. `DE`. */
  domicile: string | null;
  /** Monthly active users of the business's products and services (all of them, not Parley's). */
  monthlyActiveUsers: number | null;
}

/** The whole model gateway's configuration for one business. */
export interface ModelsSettings {
  catalog: ModelEntry[];
  tasks: Partial<Record<ModelTask, TaskRoute>>;
  dataClasses: DataClassPolicy;
  /** Redact before `external` providers (default), before `all`, or never (`off`). */
  redaction: 'external' | 'all' | 'off';
  budgets: BudgetSettings;
  circuitBreaker: { failureThreshold: number; openForMs: number };
  licensing: LicensingProfile;
  /** Per-model prices overriding Parley's table, keyed by model name at the provider. */
  prices: Record<string, ModelPrice>;
}
