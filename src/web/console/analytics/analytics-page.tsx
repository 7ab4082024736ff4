import { useEffect, useState } from 'react';
import './analytics.css';
import { analyticsApi, lastDays, type WireAnalytics } from './analytics-api.js';
import { causeLabel, humanDuration, percent } from './analytics-format.js';
import { DayChart } from './day-chart.js';

const RANGES = [7, 30, 90] as const;

/** What the agent handled and what went to a person: the share bar and its triggers. */
function HandoffShare({ analytics }: { analytics: WireAnalytics }) {
  const { resolvedByAgent, handedOff } = analytics;
  const decided = resolvedByAgent + handedOff;
  const open = analytics.total - decided;
  const causes = Object.entries(analytics.handedOffByCause).sort((a, b) => b[1] - a[1]);
  return (
    <section className="analytics-card" aria-labelledby="analytics-share-title">
      <h2 id="analytics-share-title">Agent or person</h2>
      <div
        className="analytics-share"
        role="img"
        aria-label={`Resolved by the agent ${resolvedByAgent} (${percent(resolvedByAgent, decided)}), handed off ${handedOff} (${percent(handedOff, decided)})`}
      >
        {decided === 0 ? (
          <span className="analytics-share-empty" />
        ) : (
          <>
            <span className="agent" style={{ flexGrow: resolvedByAgent }} />
            <span className="person" style={{ flexGrow: handedOff }} />
          </>
        )}
      </div>
      <ul className="analytics-share-legend">
        <li data-testid="analytics-resolved-by-agent">
          <span className="swatch agent" aria-hidden="true" />
          Resolved by the agent: <strong>{resolvedByAgent}</strong> (
          {percent(resolvedByAgent, decided)})
        </li>
        <li data-testid="analytics-handed-off">
          <span className="swatch person" aria-hidden="true" />
          Handed off to a person: <strong>{handedOff}</strong> ({percent(handedOff, decided)})
        </li>
        {open > 0 && <li className="muted">{open} still open with the agent</li>}
      </ul>
      {causes.length > 0 && (
        <>
          <h3>Why it was handed off</h3>
          <ul className="analytics-causes" data-testid="analytics-causes">
            {causes.map(([cause, count]) => (
              <li key={cause}>
                <span>{causeLabel(cause)}</span>
                <span className="bar" aria-hidden="true">
                  <span style={{ width: percent(count, handedOff) }} />
                </span>
                <strong>{count}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function BigNumber(props: { id: string; label: string; seconds: number | null; detail?: string }) {
  return (
    <section className="analytics-card analytics-number" aria-labelledby={`${props.id}-label`}>
      <h2 id={`${props.id}-label`}>{props.label}</h2>
      <p className="value" data-testid={props.id}>
        {humanDuration(props.seconds)}
      </p>
      {props.detail && <p className="muted">{props.detail}</p>}
    </section>
  );
}

/**
 * Analytics: conversations per day by channel, what the agent resolved and what went to a person
 * (and why), and the median first response and time to resolution.
 */
export function AnalyticsPage() {
  const [days, setDays] = useState<number>(30);
  const [analytics, setAnalytics] = useState<WireAnalytics | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    analyticsApi.get(lastDays(days, new Date())).then(
      (response) => {
        if (!current) return;
        setAnalytics(response);
        setError(null);
      },
      (cause: Error) => current && setError(cause.message),
    );
    return () => {
      current = false;
    };
  }, [days]);

  const split =
    analytics &&
    (analytics.medianFirstResponseAgentSeconds !== null ||
      analytics.medianFirstResponsePersonSeconds !== null)
      ? `Agent ${humanDuration(analytics.medianFirstResponseAgentSeconds)} · person ${humanDuration(analytics.medianFirstResponsePersonSeconds)}`
      : undefined;

  return (
    <main className="console-page analytics-page" data-testid="analytics-page">
      <header className="analytics-head">
        <h1>Analytics</h1>
        <div className="analytics-ranges" role="group" aria-label="Period">
          {RANGES.map((range) => (
            <button
              key={range}
              type="button"
              className={range === days ? 'button' : 'button subtle'}
              aria-pressed={range === days}
              onClick={() => setDays(range)}
            >
              Last {range} days
            </button>
          ))}
        </div>
      </header>
      {error && (
        <p className="list-error" role="alert">
          {error}
        </p>
      )}
      {analytics && (
        <>
          <p className="muted" data-testid="analytics-summary">
            {analytics.total} conversations opened, days in {analytics.timezone}.
          </p>
          <div className="analytics-numbers">
            <BigNumber
              id="analytics-first-response"
              label="Median first response"
              seconds={analytics.medianFirstResponseSeconds}
              {...(split ? { detail: split } : {})}
            />
            <BigNumber
              id="analytics-resolution"
              label="Median time to resolution"
              seconds={analytics.medianResolutionSeconds}
            />
          </div>
          <DayChart analytics={analytics} />
          <HandoffShare analytics={analytics} />
        </>
      )}
    </main>
  );
}
