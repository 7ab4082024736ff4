/** Percentiles of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentiles: p99 of 200 samples is the 198th smallest, a value that occurred. */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: NaN, p99: NaN, mean: NaN, max: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (percent: number) =>
    sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)] ?? NaN;
  const total = sorted.reduce((sum, sample) => sum + sample, 0);
  return {
    count: sorted.length,
    p50: at(50),
    p99: at(99),
    mean: total / sorted.length,
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** `12.3`, `0.84`, `1,204`: enough digits to compare, no false precision. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-GB');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `3.4×`: how many baselines fit in a measurement. */
export function formatRatio(value: number, baseline: number): string {
  return baseline > 0 && Number.isFinite(value) ? `${formatNumber(value / baseline)}×` : '–';
}
