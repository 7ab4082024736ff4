import type { WireAnalytics } from './analytics-api.js';
import { channelLabel, shortDay } from './analytics-format.js';

const CHANNEL_COLORS: Record<string, string> = {
  whatsapp: '#25a366',
  web: '#1f6f6b',
  messenger: '#0866ff',
  instagram: '#c13584',
};
const FALLBACK_COLORS = ['#a15c00', '#6b6f76', '#5b4bc4', '#b42318'];

export function channelColor(channel: string, index: number): string {
  return CHANNEL_COLORS[channel] ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length]!;
}

const WIDTH = 720;
const HEIGHT = 220;
const AXIS = 28;
const TOP = 8;

/** Conversations per day as stacked bars, one colour per channel, with a legend of totals. */
export function DayChart({ analytics }: { analytics: WireAnalytics }) {
  const { days, channels } = analytics;
  const peak = Math.max(1, ...days.map((day) => day.total));
  const plotHeight = HEIGHT - AXIS - TOP;
  const slot = WIDTH / Math.max(1, days.length);
  const barWidth = Math.max(1, slot * 0.7);
  const labelEvery = Math.ceil(days.length / 10);
  const totals = channels.map((channel) =>
    days.reduce((sum, day) => sum + (day.byChannel[channel] ?? 0), 0),
  );

  return (
    <section className="analytics-card analytics-days" aria-labelledby="analytics-days-title">
      <h2 id="analytics-days-title">Conversations per day</h2>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="analytics-days-svg-title"
        className="analytics-chart"
        data-testid="analytics-day-chart"
      >
        <title id="analytics-days-svg-title">
          {`${analytics.total} conversations from ${shortDay(analytics.from)} to ${shortDay(analytics.to)}, by channel; busiest day ${peak}`}
        </title>
        <line x1={0} x2={WIDTH} y1={TOP + plotHeight} y2={TOP + plotHeight} className="axis" />
        <text x={0} y={TOP + 10} className="axis-label">
          {peak}
        </text>
        {days.map((day, index) => {
          let y = TOP + plotHeight;
          const x = index * slot + (slot - barWidth) / 2;
          return (
            <g key={day.date} data-date={day.date} data-total={day.total}>
              {channels.map((channel, channelIndex) => {
                const count = day.byChannel[channel] ?? 0;
                if (count === 0) return null;
                const height = (count / peak) * plotHeight;
                y -= height;
                return (
                  <rect
                    key={channel}
                    x={x}
                    y={y}
                    width={barWidth}
                    height={height}
                    fill={channelColor(channel, channelIndex)}
                  >
                    <title>{`${shortDay(day.date)}: ${count} on ${channelLabel(channel)}`}</title>
                  </rect>
                );
              })}
              {index % labelEvery === 0 && (
                <text
                  x={x + barWidth / 2}
                  y={HEIGHT - 8}
                  textAnchor="middle"
                  className="axis-label"
                >
                  {shortDay(day.date)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="analytics-legend" aria-label="Conversations by channel">
        {channels.length === 0 && <li>No conversations in this period.</li>}
        {channels.map((channel, index) => (
          <li key={channel} data-testid={`analytics-channel-${channel}`}>
            <span
              className="swatch"
              aria-hidden="true"
              style={{ background: channelColor(channel, index) }}
            />
            {channelLabel(channel)}: <strong>{totals[index]}</strong>
          </li>
        ))}
      </ul>
      <details className="analytics-table">
        <summary>Show as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {channels.map((channel) => (
                <th key={channel} scope="col">
                  {channelLabel(channel)}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.date}>
                <th scope="row">{shortDay(day.date)}</th>
                {channels.map((channel) => (
                  <td key={channel}>{day.byChannel[channel] ?? 0}</td>
                ))}
                <td>{day.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
