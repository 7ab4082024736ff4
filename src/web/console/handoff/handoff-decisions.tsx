import { useEffect, useState } from 'react';
import './handoff.css';
import { handoffApi, type HandoffDecision } from './handoff-api.js';
import { TRIGGER_CATALOGUE } from './trigger-catalogue.js';

const TITLES = new Map(TRIGGER_CATALOGUE.map((entry) => [entry.key, entry.title]));

interface HandoffDecisionsProps {
  conversationId: string;
  /** Changes when a live event concerns this conversation. */
  version: number;
}

/**
 * The handoff rules evaluated in this conversation: the ones that fired first, each with its
 * evidence and time; every evaluation (fired or not) one click away.
 */
export function HandoffDecisions({ conversationId, version }: HandoffDecisionsProps) {
  const [decisions, setDecisions] = useState<HandoffDecision[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    handoffApi.decisions(conversationId).then(
      (result) => current && setDecisions(result.decisions),
      (cause: Error) => current && setError(cause.message),
    );
    return () => {
      current = false;
    };
  }, [conversationId, version]);

  if (error) return <p className="list-error handoff-decisions">{error}</p>;
  if (!decisions || decisions.length === 0) return null;
  const fired = decisions.filter((decision) => decision.fired);
  return (
    <details className="handoff-decisions" data-testid="handoff-decisions">
      <summary>
        Handoff rules: {fired.length === 0 ? 'none fired' : `${fired.length} fired`} ·{' '}
        {decisions.length} checked
      </summary>
      <ol>
        {[...fired, ...decisions.filter((decision) => !decision.fired)].map((decision) => (
          <li
            key={decision.id}
            className={`handoff-decision${decision.fired ? ' fired' : ''}`}
            data-testid="handoff-decision"
          >
            <span className="handoff-decision-rule">
              {TITLES.get(decision.trigger) ?? decision.trigger}
            </span>{' '}
            <span className="badge">
              {decision.fired ? `fired → ${decision.action}` : 'not fired'}
            </span>
            {decision.deciding && <span className="badge state-waiting_for_person">deciding</span>}
            <span className="handoff-decision-evidence">{decision.evidence}</span>
            <time className="muted" dateTime={decision.createdAt}>
              {decision.phase === 'before' ? 'before the model' : 'after the model'} ·{' '}
              {new Date(decision.createdAt).toLocaleString()}
            </time>
          </li>
        ))}
      </ol>
    </details>
  );
}
