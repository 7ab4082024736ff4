import { z } from 'zod';
import { MODEL_TASKS } from '../core/model-calls.js';
import type { ModelEntry, ModelsSettings } from '../core/model-settings.js';
import { describeValue } from './describe-value.js';
import { httpUrl, requiredText, slug, wholeNumber } from './field-schemas.js';

/** How long a model call may take when the file does not say. */
const DEFAULT_TIMEOUT_MS = 30_000;

const money = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `${describeValue(issue.input)} is not an amount. Write a number such as 0.15.`,
  })
  .min(0, { error: 'Amounts cannot be negative. Use 0 for free.' });

const price = z.strictObject({
  inputPerMillion: money,
  outputPerMillion: money,
  cachedInputPerMillion: money.optional(),
  /** Speech to text billed per minute of audio (whisper-1: 0.006). */
  audioPerMinute: money.optional(),
});

/** An ISO 3166 two-letter country code, upper-cased. */
export const countryCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a country code. Use ISO 3166 two letters, such as DE or TH.`,
  })
  .transform((value) => value.toUpperCase());

const providerKind = z.enum(['openai-compatible', 'openai', 'anthropic', 'embedded'], {
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `${describeValue(issue.input)} is not a provider. Use openai-compatible (Ollama, vLLM, llama.cpp, LM Studio), openai, anthropic or embedded (a GGUF file run inside Parley).`,
});

const catalogEntry = z.strictObject({
  provider: providerKind,
  model: requiredText,
  baseUrl: httpUrl('http://localhost:11434/v1').optional(),
  apiKey: requiredText.optional(),
  location: z.enum(['local', 'external']).optional(),
  timeoutMs: wholeNumber(1_000, 600_000).default(DEFAULT_TIMEOUT_MS),
  price: price.optional(),
  amortised: z
    .strictObject({ hardwarePerHour: money, tokensPerSecond: z.number().positive() })
    .optional(),
  threads: wholeNumber(1, 256).optional(),
  sequences: wholeNumber(1, 64).optional(),
  contextSize: wholeNumber(256, 1_048_576).optional(),
  licence: requiredText.optional(),
  /** A vision model: customers' photos are sent to it (unredacted: a photo cannot be redacted). */
  images: z.boolean().default(false),
});

const route = z.union([
  requiredText.transform((primary) => ({ primary, fallbacks: [] as string[] })),
  z.strictObject({ primary: requiredText, fallbacks: z.array(requiredText).default([]) }),
]);

const taskKey = z.enum(MODEL_TASKS, {
  error: (issue) =>
    `${describeValue(issue.input)} is not a task. Use one of: ${MODEL_TASKS.join(', ')}.`,
});

/** The `models:` section of the business file: several providers, routes, data classes, costs. */
export const modelsSection = z
  .strictObject({
    catalog: z.record(slug('model id', 'local-qwen', 64), catalogEntry).default({}),
    tasks: z.partialRecord(taskKey, route).default({}),
    dataClasses: z
      .strictObject({
        personal: z.array(requiredText).optional(),
        payment: z.array(requiredText).optional(),
        health: z.array(requiredText).optional(),
      })
      .default({}),
    redaction: z.enum(['external', 'all', 'off']).default('external'),
    budgets: z
      .strictObject({
        perBusinessPerDay: money.optional(),
        perContactPerDay: money.optional(),
        alertAt: z.number().min(0).max(1).default(0.8),
      })
      .prefault({}),
    circuitBreaker: z
      .strictObject({
        failureThreshold: wholeNumber(1, 100).default(3),
        openForMs: wholeNumber(1_000, 3_600_000).default(30_000),
      })
      .prefault({}),
    // Deprecated: the business's domicile and size belong to its profile (business.domicile,
    // business.monthlyActiveUsers); still read here, with a warning (see business-licensing.ts).
    licensing: z
      .strictObject({
        domicile: countryCode.optional(),
        monthlyActiveUsers: wholeNumber(0, 10_000_000_000).optional(),
      })
      .prefault({}),
    prices: z.record(requiredText, price).default({}),
  })
  .superRefine((section, context) => {
    const ids = new Set(Object.keys(section.catalog));
    const known = [...ids].join(', ') || 'none yet: add one under models.catalog';
    const checkId = (id: string, path: Array<string | number>) => {
      if (ids.has(id)) return;
      context.addIssue({
        code: 'custom',
        path,
        input: id,
        message: `${describeValue(id)} is not in models.catalog. Use one of: ${known}.`,
      });
    };
    for (const [task, taskRoute] of Object.entries(section.tasks)) {
      checkId(taskRoute.primary, ['tasks', task, 'primary']);
      taskRoute.fallbacks.forEach((id, index) => checkId(id, ['tasks', task, 'fallbacks', index]));
    }
    for (const [dataClass, allowed] of Object.entries(section.dataClasses)) {
      (allowed ?? []).forEach((entry, index) => {
        if (entry !== 'local' && entry !== 'external') {
          checkId(entry, ['dataClasses', dataClass, index]);
        }
      });
    }
    for (const [id, entry] of Object.entries(section.catalog)) {
      const needsUrl = entry.provider === 'openai-compatible';
      if (needsUrl && !entry.baseUrl) {
        context.addIssue({
          code: 'custom',
          path: ['catalog', id, 'baseUrl'],
          input: undefined,
          message: `is missing. An openai-compatible model needs the server's address, such as http://localhost:11434/v1 (Ollama).`,
        });
      }
    }
  });

export type ModelsSection = z.output<typeof modelsSection>;

/** A model server on this machine or the local network counts as local unless the file says. */
export function isLocalAddress(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    host === '::1' ||
    /^127\./.test(host) ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^f[cd][0-9a-f]{2}:/i.test(host) ||
    // A bare name (`ollama`, `vllm`) is a container or host on the private network.
    !host.includes('.')
  );
}

/** The validated section as the model gateway's settings. */
export function toModelsSettings(section: ModelsSection): ModelsSettings {
  const catalog: ModelEntry[] = Object.entries(section.catalog).map(([id, entry]) => ({
    id,
    provider: entry.provider,
    model: entry.model,
    baseUrl: entry.baseUrl ?? null,
    apiKey: entry.apiKey ?? null,
    location:
      entry.location ??
      (entry.provider === 'embedded'
        ? 'local'
        : entry.provider === 'openai-compatible' && entry.baseUrl && isLocalAddress(entry.baseUrl)
          ? 'local'
          : 'external'),
    timeoutMs: entry.timeoutMs,
    price: entry.price
      ? { ...entry.price, cachedInputPerMillion: entry.price.cachedInputPerMillion ?? null }
      : null,
    amortised: entry.amortised ?? null,
    threads: entry.threads ?? null,
    sequences: entry.sequences ?? null,
    contextSize: entry.contextSize ?? null,
    licence: entry.licence ?? null,
    images: entry.images,
  }));
  return {
    catalog,
    tasks: section.tasks,
    dataClasses: section.dataClasses,
    redaction: section.redaction,
    budgets: {
      perBusinessPerDay: section.budgets.perBusinessPerDay ?? null,
      perContactPerDay: section.budgets.perContactPerDay ?? null,
      alertAt: section.budgets.alertAt,
    },
    circuitBreaker: section.circuitBreaker,
    licensing: {
      domicile: section.licensing.domicile ?? null,
      monthlyActiveUsers: section.licensing.monthlyActiveUsers ?? null,
    },
    prices: Object.fromEntries(
      Object.entries(section.prices).map(([name, value]) => [
        name,
        { ...value, cachedInputPerMillion: value.cachedInputPerMillion ?? null },
      ]),
    ),
  };
}

/**
 * The gateway settings Parley runs with: the `models` section when the file has one; otherwise the
 * single `model` section (and its environment overrides) as a one-model catalog for customer
 * replies, so files written before the `models` section keep working.
 */
export function resolveModelsSettings(
  models: ModelsSettings | null,
  legacy: { baseUrl: string; name: string; apiKey: string | null; timeoutMs: number } | null,
): ModelsSettings {
  if (models && models.catalog.length > 0) return models;
  const base: ModelsSettings = models ?? toModelsSettings(modelsSection.parse({}));
  if (!legacy) return base;
  return {
    ...base,
    catalog: [
      {
        id: 'default',
        provider: 'openai-compatible',
        model: legacy.name,
        baseUrl: legacy.baseUrl,
        apiKey: legacy.apiKey,
        location: isLocalAddress(legacy.baseUrl) ? 'local' : 'external',
        timeoutMs: legacy.timeoutMs,
        price: null,
        amortised: null,
        threads: null,
        sequences: null,
        contextSize: null,
        licence: null,
        images: false,
      },
    ],
    tasks: { 'customer-replies': { primary: 'default', fallbacks: [] } },
  };
}

/**
 * `PARLEY_TRANSCRIPTION_URL` (and its model and key) as a shorthand for a one-model
 * `transcription` route, used when the business file routes transcription nowhere itself.
 */
export function withTranscriptionShorthand(
  models: ModelsSettings,
  transcription: { baseUrl: string; model: string; apiKey: string | null } | null,
): ModelsSettings {
  if (!transcription || models.tasks.transcription) return models;
  const id = models.catalog.some((entry) => entry.id === 'transcription')
    ? 'transcription-setting'
    : 'transcription';
  const entry: ModelEntry = {
    id,
    provider: 'openai-compatible',
    model: transcription.model,
    baseUrl: transcription.baseUrl,
    apiKey: transcription.apiKey,
    location: isLocalAddress(transcription.baseUrl) ? 'local' : 'external',
    // Voice notes can be long; whisper on a CPU takes a while.
    timeoutMs: 60_000,
    price: null,
    amortised: null,
    threads: null,
    sequences: null,
    contextSize: null,
    licence: null,
    images: false,
  };
  return {
    ...models,
    catalog: [...models.catalog, entry],
    tasks: { ...models.tasks, transcription: { primary: id, fallbacks: [] } },
  };
}
