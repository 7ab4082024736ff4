import { useEffect, useState } from 'react';
import './handoff.css';
import { handoffApi, type HandoffSummary } from './handoff-api.js';

/** The briefing for whoever takes over a handed-off conversation, at the top of the thread. */
export function HandoffSummaryCard({
  conversationId,
  version,
}: {
  conversationId: string;
  /** Changes when a live event concerns this conversation (the summary is written after it). */
  version: number;
}) {
  const [summary, setSummary] = useState<HandoffSummary | null>(null);

  useEffect(() => {
    let current = true;
    handoffApi.summary(conversationId).then(
      (result) => current && setSummary(result.summary),
      () => current && setSummary(null),
    );
    return () => {
      current = false;
    };
  }, [conversationId, version]);

  if (!summary) return null;
  return (
    <section
      className="handoff-summary"
      data-testid="handoff-summary"
      aria-label="Takeover summary"
    >
      <h3>
        Summary for the takeover{' '}
        <span className="muted">
          {summary.source === 'model'
            ? `by ${summary.modelName ?? 'the summaries model'}`
            : 'from the facts'}{' '}
          · {new Date(summary.createdAt).toLocaleString()}
        </span>
      </h3>
      <p className="handoff-summary-text">{summary.text}</p>
    </section>
  );
}
