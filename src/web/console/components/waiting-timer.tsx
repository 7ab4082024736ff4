/** How a wait compares with the business's response target. */
export type WaitLevel = 'on-time' | 'soon' | 'late';

export function waitLevel(waitedMs: number, targetMinutes: number): WaitLevel {
  const target = targetMinutes * 60_000;
  if (waitedMs >= target) return 'late';
  return waitedMs >= target * 0.75 ? 'soon' : 'on-time';
}

/** "0:42", "4:05", "1 h 12 min": a wait, readable at a glance. */
export function formatWait(waitedMs: number): string {
  const seconds = Math.max(0, Math.floor(waitedMs / 1000));
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
  const hours = Math.floor(seconds / 3600);
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  return `${hours} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/**
 * Since when the customer has waited for a person, coloured against the response target: green
 * under three quarters of it, amber up to it, red past it.
 */
export function WaitingTimer(props: { since: string; targetMinutes: number; now: number }) {
  const waited = props.now - Date.parse(props.since);
  const level = waitLevel(waited, props.targetMinutes);
  return (
    <span
      className={`waiting-timer wait-${level}`}
      data-testid="waiting-timer"
      data-level={level}
      title={`Waiting for a person since ${new Date(props.since).toLocaleTimeString()}; the target is ${props.targetMinutes} min`}
    >
      <span aria-hidden="true">⏱</span> <span className="visually-hidden">Waiting </span>
      {formatWait(waited)}
    </span>
  );
}
