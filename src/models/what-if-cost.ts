import type { ModelEntry, ModelPrice } from '../core/model-settings.js';
import { costMicros, priceFor, type PriceSource } from './price-table.js';

/** Measured traffic over a period: what the business's calls used. */
export interface MeasuredTraffic {
  days: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export interface WhatIfRow {
  modelId: string;
  model: string;
  location: 'local' | 'external';
  priceSource: PriceSource;
  /** The measured traffic priced on this model, scaled to 30 days. */
  monthlyCostMicros: number;
}

/**
 * "What if all this traffic ran on …": the measured tokens priced on every configured model, and
 * on a fixed-price machine (e.g. a rented GPU at `gpuPerHour`, running all month), scaled to a
 * 30-day month, so per-token APIs and fixed hardware are compared on one basis.
 */
export function whatIfCosts(
  traffic: MeasuredTraffic,
  catalog: readonly ModelEntry[],
  prices: Readonly<Record<string, ModelPrice>>,
  fixed: { gpuPerHour: number | null },
): { rows: WhatIfRow[]; fixedMonthlyMicros: number | null; monthlyCalls: number } {
  const scale = traffic.days > 0 ? 30 / traffic.days : 0;
  const rows = catalog.map((entry): WhatIfRow => {
    const { price, source } = priceFor(entry, prices);
    return {
      modelId: entry.id,
      model: entry.model,
      location: entry.location,
      priceSource: source,
      monthlyCostMicros: Math.round(costMicros(traffic, price) * scale),
    };
  });
  rows.sort((a, b) => a.monthlyCostMicros - b.monthlyCostMicros);
  return {
    rows,
    fixedMonthlyMicros:
      fixed.gpuPerHour === null ? null : Math.round(fixed.gpuPerHour * 24 * 30 * 1e6),
    monthlyCalls: Math.round(traffic.calls * scale),
  };
}
