import type { WireUsage } from './models-api.js';
import { count, money } from './models-api.js';

const DAY_MS = 24 * 3600_000;
const WIDTH = 720;
const HEIGHT = 160;

interface Day {
  day: string;
  costMicros: number;
  tokens: number;
  calls: number;
}

/** Every day from `since` to today, with zero for days without calls. */
export function dailyTotals(usage: WireUsage, today: Date): Day[] {
  const byDay = new Map<string, Day>();
  for (const row of usage.byDay) {
    const day = byDay.get(row.day) ?? { day: row.day, costMicros: 0, tokens: 0, calls: 0 };
    day.costMicros += row.costMicros;
    day.tokens += row.inputTokens + row.outputTokens;
    day.calls += row.calls;
    byDay.set(row.day, day);
  }
  // The server groups by the business's calendar day: list the days in its time zone too.
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: usage.timeZone ?? 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const names = new Set<string>();
  for (let time = Date.parse(usage.since); time < today.getTime(); time += DAY_MS) {
    names.add(format.format(new Date(time)));
  }
  names.add(format.format(today));
  return [...names].map((day) => byDay.get(day) ?? { day, costMicros: 0, tokens: 0, calls: 0 });
}

/** Spend (or tokens) per day as SVG bars; each bar's title gives the day's figures. */
export function DailyChart({ days, measure }: { days: Day[]; measure: 'cost' | 'tokens' }) {
  const valueOf = (day: Day) => (measure === 'cost' ? day.costMicros : day.tokens);
  const max = Math.max(1, ...days.map(valueOf));
  const slot = WIDTH / Math.max(1, days.length);
  const label = measure === 'cost' ? 'Spend per day' : 'Tokens per day';
  return (
    <svg
      className="costs-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT + 18}`}
      role="img"
      aria-label={label}
      data-testid={`chart-${measure}`}
    >
      <line x1={0} x2={WIDTH} y1={HEIGHT} y2={HEIGHT} className="costs-chart-axis" />
      {days.map((day, index) => {
        const height = (valueOf(day) / max) * (HEIGHT - 4);
        return (
          <g key={day.day} data-testid="chart-bar" data-day={day.day} data-value={valueOf(day)}>
            <title>
              {`${day.day}: ${money(day.costMicros)}, ${count(day.tokens)} tokens, ${day.calls} calls`}
            </title>
            <rect
              x={index * slot + slot * 0.15}
              y={HEIGHT - height}
              width={slot * 0.7}
              height={height}
              className="costs-chart-bar"
            />
          </g>
        );
      })}
      <text x={0} y={HEIGHT + 14} className="costs-chart-label">
        {days[0]?.day}
      </text>
      <text x={WIDTH} y={HEIGHT + 14} textAnchor="end" className="costs-chart-label">
        {days.at(-1)?.day}
      </text>
    </svg>
  );
}
