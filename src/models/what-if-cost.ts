import type { ModelEntry, ModelPrice } from '../core/model-settings.js';
import { costMicros, priceFor, type PriceSource } from './price-table.js';

/** Measured traffic over a period: what the business's calls used. */
export interface MeasuredTraffic {
  days: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Seconds of audio transcribed (voice notes), priced on models billed by the minute. */
  audioSeconds?: number;
}

export interface WhatIfRow {
  modelId: string;
  model: string;
  location: 'local' | 'external';
  priceSource: PriceSource;
  /** The traffic priced on this model, for a 30-day month. */
  monthlyCostMicros: number;
  /** The same, per query (call). */
  perQueryMicros: number;
}

/** A fixed-price machine (a rented GPU) running all month, however busy. */
export interface FixedMachine {
  /** Rent per hour, in the price table's currency. */
  perHour: number;
  /** Output tokens per second one machine sustains; null: assume one machine is enough. */
  tokensPerSecond: number | null;
}

export interface FixedMachineCost {
  /** Machines needed to write the month's output tokens at the given throughput. */
  machines: number;
  /** Share of one machine's capacity the traffic uses (above 1: more than one machine). */
  utilisation: number | null;
  monthlyCostMicros: number;
}

export interface WhatIfResult {
  rows: WhatIfRow[];
  /** The month's queries: measured, or `queriesPerDay` × 30 when given. */
  monthlyCalls: number;
  /** Tokens per query, measured. */
  perQuery: {
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens: number;
    audioSeconds: number;
  };
  fixed: FixedMachineCost | null;
  /** Kept for older clients: `fixed.monthlyCostMicros`. */
  fixedMonthlyMicros: number | null;
}

const MONTH_DAYS = 30;
const MONTH_SECONDS = MONTH_DAYS * 24 * 3600;

/**
 * "What if all this traffic ran on …": the measured tokens per query, times this month's queries
 * (measured and scaled to 30 days, or a volume the owner types, such as 15,000 a day), priced on
 * every configured model and on fixed-price machines (a rented GPU at so much per hour, as many
 * as the throughput needs), so per-token APIs and fixed hardware are compared on one basis.
 */
export function whatIfCosts(
  traffic: MeasuredTraffic,
  catalog: readonly ModelEntry[],
  prices: Readonly<Record<string, ModelPrice>>,
  options: { fixed: FixedMachine | null; queriesPerDay?: number | null },
): WhatIfResult {
  const perQuery =
    traffic.calls > 0
      ? {
          inputTokens: traffic.inputTokens / traffic.calls,
          outputTokens: traffic.outputTokens / traffic.calls,
          cachedInputTokens: traffic.cachedInputTokens / traffic.calls,
          audioSeconds: (traffic.audioSeconds ?? 0) / traffic.calls,
        }
      : { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, audioSeconds: 0 };
  const monthlyCalls =
    options.queriesPerDay != null
      ? options.queriesPerDay * MONTH_DAYS
      : traffic.days > 0
        ? (traffic.calls * MONTH_DAYS) / traffic.days
        : 0;
  const rows = catalog.map((entry): WhatIfRow => {
    const { price, source } = priceFor(entry, prices);
    const perQueryMicros = costMicros(perQuery, price);
    return {
      modelId: entry.id,
      model: entry.model,
      location: entry.location,
      priceSource: source,
      monthlyCostMicros: Math.round(perQueryMicros * monthlyCalls),
      perQueryMicros,
    };
  });
  rows.sort((a, b) => a.monthlyCostMicros - b.monthlyCostMicros);
  const fixed = options.fixed
    ? fixedCost(options.fixed, perQuery.outputTokens * monthlyCalls)
    : null;
  return {
    rows,
    monthlyCalls: Math.round(monthlyCalls),
    perQuery,
    fixed,
    fixedMonthlyMicros: fixed?.monthlyCostMicros ?? null,
  };
}

function fixedCost(machine: FixedMachine, monthlyOutputTokens: number): FixedMachineCost {
  const capacity =
    machine.tokensPerSecond === null ? null : machine.tokensPerSecond * MONTH_SECONDS;
  const utilisation = capacity === null ? null : monthlyOutputTokens / capacity;
  const machines = utilisation === null ? 1 : Math.max(1, Math.ceil(utilisation));
  return {
    machines,
    utilisation,
    monthlyCostMicros: Math.round(machines * machine.perHour * 24 * MONTH_DAYS * 1e6),
  };
}
