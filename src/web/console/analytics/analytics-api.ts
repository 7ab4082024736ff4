import { requestJson } from '../api/request-json.js';

/** GET /api/analytics: conversations opened from `from` to `to`, days in the business time zone. */
export interface WireAnalytics {
  from: string;
  to: string;
  timezone: string;
  days: Array<{ date: string; byChannel: Record<string, number>; total: number }>;
  channels: string[];
  total: number;
  resolvedByAgent: number;
  handedOff: number;
  handedOffByCause: Record<string, number>;
  medianFirstResponseSeconds: number | null;
  medianFirstResponseAgentSeconds: number | null;
  medianFirstResponsePersonSeconds: number | null;
  medianResolutionSeconds: number | null;
}

/** The last `days` days up to today, as the API's `YYYY-MM-DD` pair (the browser's calendar). */
export function lastDays(days: number, today: Date): { from: string; to: string } {
  const day = (date: Date) =>
    `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: day(start), to: day(today) };
}

export const analyticsApi = {
  get: (range: { from: string; to: string }) =>
    requestJson<WireAnalytics>(
      `/api/analytics?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`,
    ),
};
