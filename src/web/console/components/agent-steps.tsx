import type { WireAgentStep } from '../../shared/wire-types.js';

/** One agent turn, folded: what the model was asked and answered, which tools it used, errors. */
export function AgentSteps({ steps }: { steps: WireAgentStep[] }) {
  const tokens = steps.reduce(
    (sum, step) => sum + (step.inputTokens ?? 0) + (step.outputTokens ?? 0),
    0,
  );
  const latencyMs = steps.reduce((sum, step) => sum + step.latencyMs, 0);
  const failed = steps.some(
    (step) => step.kind === 'error' || (step.kind === 'tool' && step.error),
  );

  return (
    <li className="turn" data-testid="agent-steps">
      <details>
        <summary>
          <span>Agent steps</span>
          <span className="turn-summary">
            {steps.length} step{steps.length === 1 ? '' : 's'}
            {tokens > 0 && ` · ${tokens.toLocaleString()} tokens`} · {formatLatency(latencyMs)}
            {failed && <span className="turn-failed"> · error</span>}
          </span>
        </summary>
        <ol className="steps">
          {steps.map((step) => (
            <li
              key={step.id}
              className={`step step-${step.kind}`}
              data-testid="agent-step"
              data-kind={step.kind}
            >
              <StepView step={step} />
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}

function StepView({ step }: { step: WireAgentStep }) {
  if (step.kind === 'model') {
    return (
      <>
        <div className="step-head">
          <strong>Model</strong> {step.model}
          <span className="step-stats">
            {step.inputTokens ?? '?'} in · {step.outputTokens ?? '?'} out ·{' '}
            {formatLatency(step.latencyMs)}
            {step.finishReason && ` · ${step.finishReason}`}
          </span>
        </div>
        {step.text && <p className="step-text">{step.text}</p>}
      </>
    );
  }
  if (step.kind === 'tool') {
    return (
      <>
        <div className="step-head">
          <strong>Tool</strong> <code>{step.toolName}</code>
          <span className="step-stats">{formatLatency(step.latencyMs)}</span>
        </div>
        <div className="step-io">
          <span>Input</span>
          <pre>{formatJson(step.input)}</pre>
          <span>Output</span>
          <pre>{formatJson(step.output)}</pre>
        </div>
        {step.error && <p className="step-error">{step.error}</p>}
      </>
    );
  }
  return (
    <>
      <div className="step-head">
        <strong>Error</strong> <code>{step.code}</code>
        <span className="step-stats">{formatLatency(step.latencyMs)}</span>
      </div>
      <p className="step-error">{step.message}</p>
    </>
  );
}

function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatJson(value: unknown): string {
  // Values come from the API's JSON, so they always serialise; `undefined` means "not recorded".
  return JSON.stringify(value, null, 2) ?? '—';
}
