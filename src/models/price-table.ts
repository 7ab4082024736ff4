import type { ModelEntry, ModelPrice } from '../core/model-settings.js';

/**
 * Published list prices of common hosted models, USD per million tokens (input, output, cached
 * input), as of mid-2025. Providers change prices: a business overrides any of them under
 * `models.prices` (or `price` on a catalog entry), and a model missing here costs 0 with a warning
 * in `parley doctor`.
 */
export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10, cachedInputPerMillion: 1.25 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.075 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6, cachedInputPerMillion: 0.1 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025 },
  'text-embedding-3-small': {
    inputPerMillion: 0.02,
    outputPerMillion: 0,
    cachedInputPerMillion: null,
  },
  'text-embedding-3-large': {
    inputPerMillion: 0.13,
    outputPerMillion: 0,
    cachedInputPerMillion: null,
  },
  'claude-3-5-haiku-latest': {
    inputPerMillion: 0.8,
    outputPerMillion: 4,
    cachedInputPerMillion: 0.08,
  },
  'claude-sonnet-4-0': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
  'claude-3-7-sonnet-latest': {
    inputPerMillion: 3,
    outputPerMillion: 15,
    cachedInputPerMillion: 0.3,
  },
  // Speech to text. whisper-1 is billed per minute of audio; the gpt-4o transcribe models per
  // token (audio input tokens at these prices; text input is cheaper but a voice note is audio).
  'whisper-1': {
    inputPerMillion: 0,
    outputPerMillion: 0,
    cachedInputPerMillion: null,
    audioPerMinute: 0.006,
  },
  'gpt-4o-transcribe': { inputPerMillion: 6, outputPerMillion: 10, cachedInputPerMillion: null },
  'gpt-4o-mini-transcribe': {
    inputPerMillion: 3,
    outputPerMillion: 5,
    cachedInputPerMillion: null,
  },
  'claude-opus-4-0': { inputPerMillion: 15, outputPerMillion: 75, cachedInputPerMillion: 1.5 },
};

// Prefill reads a prompt 10–30 times faster than decoding writes (llama.cpp on CPU here: ~27k vs
// 400–2,000 tokens/s); pricing an input token at a tenth of an output token is the cautious end.
const PREFILL_SPEEDUP = 10;

/** Where a model's price comes from, for reports. */
export type PriceSource = 'entry' | 'config' | 'table' | 'amortised' | 'none';

/**
 * The price of one catalog entry: its own `price`, then the config's `prices`, then Parley's table
 * (by model name, also without a `provider/` prefix or a date suffix), then the amortised cost of
 * local hardware; otherwise free.
 */
export function priceFor(
  entry: Pick<ModelEntry, 'model' | 'price' | 'amortised'>,
  overrides: Readonly<Record<string, ModelPrice>> = {},
): { price: ModelPrice; source: PriceSource } {
  if (entry.price) return { price: entry.price, source: 'entry' };
  const name = entry.model;
  const configured = overrides[name];
  if (configured) return { price: configured, source: 'config' };
  const bare = name.replace(/^.*\//, '');
  const listed = PRICE_TABLE[bare] ?? PRICE_TABLE[bare.replace(/-\d{4}-\d{2}-\d{2}$|-\d{8}$/, '')];
  if (listed) return { price: listed, source: 'table' };
  if (entry.amortised) {
    const perOutputToken =
      entry.amortised.hardwarePerHour / (entry.amortised.tokensPerSecond * 3600);
    return {
      price: {
        inputPerMillion: (perOutputToken * 1e6) / PREFILL_SPEEDUP,
        outputPerMillion: perOutputToken * 1e6,
        cachedInputPerMillion: null,
      },
      source: 'amortised',
    };
  }
  return {
    price: { inputPerMillion: 0, outputPerMillion: 0, cachedInputPerMillion: null },
    source: 'none',
  };
}

/** Token counts of one call. */
export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  /** Seconds of audio (speech to text), priced by `audioPerMinute`. */
  audioSeconds?: number | null | undefined;
}

/** The cost of one call in millionths of the price's currency (1 USD = 1,000,000). */
export function costMicros(usage: TokenUsage, price: ModelPrice): number {
  const cached = usage.cachedInputTokens ?? 0;
  const uncached = Math.max(0, (usage.inputTokens ?? 0) - cached);
  const cachedPrice = price.cachedInputPerMillion ?? price.inputPerMillion;
  // Per million tokens × tokens ÷ 1e6 × 1e6 micros: the token count times the per-million price.
  // Per minute × seconds ÷ 60 × 1e6 micros.
  const audio = ((usage.audioSeconds ?? 0) * (price.audioPerMinute ?? 0) * 1e6) / 60;
  return (
    uncached * price.inputPerMillion +
    cached * cachedPrice +
    (usage.outputTokens ?? 0) * price.outputPerMillion +
    audio
  );
}
