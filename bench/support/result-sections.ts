import type { TurnScenarioResult } from '../agent-turn-overhead.js';
import type { StartUpResult } from '../start-up-time.js';
import type { BaselineResult } from '../store-insert-baseline.js';
import type { Backend } from './bench-database.js';
import { formatNumber, formatRatio, summarizeLatencies } from './latency-stats.js';
import type { ResultSection } from './results-report.js';

/** The targets; reported, never enforced: a benchmark measures, it does not fail. */
export const TURN_P99_TARGET_MS = 15;
export const START_UP_TARGET_MS = 5_000;

export const BACKEND_NAMES: Record<Backend, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };

export interface InProcessResults {
  baseline: BaselineResult[];
  turns: TurnScenarioResult[];
}

/** A part that failed is reported as failed; the other parts' numbers are still worth having. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export interface BackendResults {
  backend: Backend;
  inProcess: Outcome<InProcessResults>;
  startUp: Outcome<StartUpResult>;
}

/** One row per backend whose part failed or was skipped, padded to the table's width. */
function missingRows(
  results: BackendResults[],
  width: number,
  outcomeOf: (result: BackendResults) => Outcome<unknown>,
): string[][] {
  const pad = (cells: string[]) => [...cells, ...Array<string>(width - cells.length).fill('–')];
  const rows = results.flatMap((result) => {
    const outcome = outcomeOf(result);
    return outcome.ok ? [] : [pad([BACKEND_NAMES[result.backend], `failed: ${outcome.error}`])];
  });
  if (!results.some((result) => result.backend === 'postgres')) {
    rows.push(pad(['PostgreSQL', 'skipped: set DATABASE_URL']));
  }
  return rows;
}

function measuredInProcess(
  results: BackendResults[],
): Array<{ backend: Backend } & InProcessResults> {
  return results.flatMap((result) =>
    result.inProcess.ok ? [{ backend: result.backend, ...result.inProcess.value }] : [],
  );
}

export function describeValue(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, inner]) => `${key}: ${describeValue(inner)}`)
      .join(', ');
  }
  return String(value);
}

export function baselineSection(results: BackendResults[]): ResultSection {
  return {
    title: 'Baseline: one message insert + conversation update transaction',
    lead: 'BEGIN, INSERT into messages, UPDATE of the conversation, COMMIT, through the same store and pool as Parley.',
    columns: ['Backend', 'Load', 'Transactions', 'p50 ms', 'p99 ms', 'Transactions/s'],
    rows: [
      ...measuredInProcess(results).flatMap(({ backend, baseline }) =>
        baseline.map((row) => [
          BACKEND_NAMES[backend],
          row.load,
          String(row.latency.count),
          formatNumber(row.latency.p50),
          formatNumber(row.latency.p99),
          formatNumber(row.perSecond),
        ]),
      ),
      ...missingRows(results, 6, (result) => result.inProcess),
    ],
  };
}

export function turnSection(results: BackendResults[]): ResultSection {
  const rows = measuredInProcess(results).flatMap(({ backend, baseline, turns }) => {
    const floor = baseline[0]!.latency;
    return turns.map((scenario, index) => {
      const concurrent = index > 0;
      const target =
        backend === 'postgres' && concurrent
          ? scenario.turn.p99 <= TURN_P99_TARGET_MS
            ? 'met'
            : 'not met'
          : '–';
      return [
        BACKEND_NAMES[backend],
        scenario.load,
        String(scenario.turn.count),
        formatNumber(scenario.turn.p50),
        formatNumber(scenario.turn.p99),
        formatNumber(scenario.turn.max),
        formatNumber(scenario.turnsPerSecond),
        formatRatio(scenario.turn.p50, floor.p50),
        formatRatio(scenario.turn.p99, floor.p99),
        formatNumber(scenario.intake.p50),
        formatNumber(scenario.cpuMsPerTurn),
        target,
      ];
    });
  });
  return {
    title: 'Agent-turn overhead (instant model)',
    lead: 'From the commit of the customer message to the commit of the agent reply. "× baseline" divides by the same percentile of the 1-at-a-time baseline on the same backend. Intake is `receiveCustomerMessage` from call to commit. CPU is this process\'s CPU time per message (intake, turn, delivery; on PGlite also the database).',
    columns: [
      'Backend',
      'Load',
      'Turns',
      'p50 ms',
      'p99 ms',
      'Max ms',
      'Turns/s',
      'p50 × baseline',
      'p99 × baseline',
      'Intake p50 ms',
      'CPU ms/turn',
      `p99 ≤ ${TURN_P99_TARGET_MS} ms (PostgreSQL, concurrent)`,
    ],
    rows: [...rows, ...missingRows(results, 12, (result) => result.inProcess)],
    notes: measuredInProcess(results).flatMap(({ backend, turns }) =>
      turns.flatMap((scenario) => {
        const notes: string[] = [];
        if (
          scenario.offeredPerSecond !== null &&
          scenario.turnsPerSecond < scenario.offeredPerSecond * 0.95
        ) {
          notes.push(
            `- ${BACKEND_NAMES[backend]}, ${scenario.load}: only ${formatNumber(scenario.turnsPerSecond)} of ${formatNumber(scenario.offeredPerSecond)} messages/s were sent: the process was saturated, so these latencies are too low.`,
          );
        }
        if (scenario.deliveryBacklogMs >= 100) {
          notes.push(
            `- ${BACKEND_NAMES[backend]}, ${scenario.load}: the outbox was still delivering replies ${formatNumber(scenario.deliveryBacklogMs)} ms after the last one was committed.`,
          );
        }
        return notes;
      }),
    ),
  };
}

export function statementSection(results: BackendResults[], contacts: number): ResultSection {
  const rows: string[][] = [];
  for (const { backend, turns } of measuredInProcess(results)) {
    const sequential = turns[0]!;
    const concurrent = turns[1]!;
    const labels = [
      ...new Set([...sequential.statements, ...concurrent.statements].map((tally) => tally.label)),
    ];
    const find = (scenario: TurnScenarioResult, label: string) =>
      scenario.statements.find((tally) => tally.label === label);
    const cells = (scenario: TurnScenarioResult, label: string) => {
      const tally = find(scenario, label);
      return tally ? [formatNumber(tally.count), formatNumber(tally.totalMs)] : ['0', '–'];
    };
    labels.sort((a, b) => (find(sequential, b)?.count ?? 0) - (find(sequential, a)?.count ?? 0));
    for (const label of labels) {
      rows.push([
        BACKEND_NAMES[backend],
        `\`${label}\``,
        ...cells(sequential, label),
        ...cells(concurrent, label),
      ]);
    }
    const total = (scenario: TurnScenarioResult) => [
      formatNumber(scenario.statements.reduce((sum, tally) => sum + tally.count, 0)),
      formatNumber(scenario.statements.reduce((sum, tally) => sum + tally.totalMs, 0)),
    ];
    rows.push([
      BACKEND_NAMES[backend],
      '**all statements**',
      ...total(sequential),
      ...total(concurrent),
    ]);
  }
  return {
    title: 'SQL statements per customer message',
    lead: 'Every statement the process sent while the turn runs above were measured (intake, turn, outbox delivery, worker polls), divided by the number of messages; ms is the time from sending a statement to its result, summed per message. On PGlite, queries queue for the single embedded connection, and that wait is included.',
    columns: [
      'Backend',
      'Statement',
      'Per message, 1 conversation',
      'ms, 1 conversation',
      `Per message, ${contacts} concurrent`,
      `ms, ${contacts} concurrent`,
    ],
    rows: [...rows, ...missingRows(results, 6, (result) => result.inProcess)],
  };
}

export function startUpSection(results: BackendResults[]): ResultSection {
  const seconds = (ms: number) => formatNumber(ms / 1000);
  const rows = results.flatMap(({ backend, startUp: outcome }) => {
    if (!outcome.ok) return [];
    const startUp = outcome.value;
    const again = summarizeLatencies(startUp.again.map((run) => run.readyMs));
    const reported = summarizeLatencies(
      startUp.again.flatMap((run) => (run.reportedMs === null ? [] : [run.reportedMs])),
    );
    const storage = backend === 'pglite' ? 'data folder' : 'database';
    return [
      [
        BACKEND_NAMES[backend],
        `first start, empty ${storage}`,
        '1',
        seconds(startUp.first.readyMs),
        seconds(startUp.first.readyMs),
        seconds(startUp.first.readyMs),
        startUp.first.reportedMs === null ? '–' : seconds(startUp.first.reportedMs),
        startUp.first.readyMs <= START_UP_TARGET_MS ? 'met' : 'not met',
      ],
      [
        BACKEND_NAMES[backend],
        `start, existing ${storage}`,
        String(again.count),
        seconds(again.p50),
        seconds(Math.min(...startUp.again.map((run) => run.readyMs))),
        seconds(again.max),
        seconds(reported.p50),
        again.p50 <= START_UP_TARGET_MS ? 'met' : 'not met',
      ],
    ];
  });
  return {
    title: 'Start-up: `node bin/parley.js start` to `/readyz` 200',
    lead: 'Spawned as a user would run it (demo business, no model, web console already built). "Reported" is the "ready in" time the CLI prints itself, which starts after Node and the TypeScript loader are up.',
    columns: [
      'Backend',
      'Case',
      'Runs',
      'Median s',
      'Min s',
      'Max s',
      'Reported median s',
      `≤ ${START_UP_TARGET_MS / 1000} s`,
    ],
    rows: [...rows, ...missingRows(results, 8, (result) => result.startUp)],
  };
}
