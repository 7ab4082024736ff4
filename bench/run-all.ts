import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDrizzleStore } from '../src/store/drizzle-store.js';
import { withAdminClient } from '../test/support/test-database.js';
import {
  measureAgentTurns,
  type TurnPlan,
  type TurnScenarioResult,
} from './agent-turn-overhead.js';
import { ensureConsoleBuilt, measureStartUps, type StartUpResult } from './start-up-time.js';
import {
  measureStoreInsert,
  type BaselinePlan,
  type BaselineResult,
} from './store-insert-baseline.js';
import {
  createPostgresDatabase,
  createScratchFolder,
  openBenchDatabase,
  type Backend,
} from './support/bench-database.js';
import { cleanUpEverything, cleanUpOnSignals } from './support/cleanup.js';
import { createInstantModel } from './support/instant-model.js';
import { formatNumber, formatRatio, summarizeLatencies } from './support/latency-stats.js';
import { renderSection, writeResultsInto, type ResultSection } from './support/results-report.js';
import { startBenchParley, WORKER_POLL_MS } from './support/start-bench-parley.js';
import { installStatementProfiler } from './support/statement-profiler.js';

/** The issue's targets; reported, never enforced: a benchmark measures, it does not fail. */
const TURN_P99_TARGET_MS = 15;
const START_UP_TARGET_MS = 5_000;

const RESULTS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const BACKEND_NAMES: Record<Backend, string> = { pglite: 'PGlite', postgres: 'PostgreSQL' };

interface Plan {
  baseline: BaselinePlan;
  turns: TurnPlan;
  startUpRuns: number;
  groundingReplies: number;
  piiDigitStrings: number;
}

const FULL: Plan = {
  baseline: { sequentialOps: 500, concurrentWorkers: 100, opsPerWorker: 5 },
  turns: {
    sequentialTurns: 200,
    contacts: 100,
    closedLoopRounds: 5,
    openLoopRounds: 3,
    openLoopIntervalMs: 5_000,
  },
  startUpRuns: 5,
  groundingReplies: 10_000,
  piiDigitStrings: 500_000,
};

const QUICK: Plan = {
  baseline: { sequentialOps: 200, concurrentWorkers: 100, opsPerWorker: 3 },
  turns: {
    sequentialTurns: 50,
    contacts: 100,
    closedLoopRounds: 3,
    openLoopRounds: 2,
    openLoopIntervalMs: 5_000,
  },
  startUpRuns: 3,
  groundingReplies: 5_000,
  piiDigitStrings: 200_000,
};

interface InProcessResults {
  baseline: BaselineResult[];
  turns: TurnScenarioResult[];
}

/** A part that failed is reported as failed; the other parts' numbers are still worth having. */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

interface BackendResults {
  backend: Backend;
  inProcess: Outcome<InProcessResults>;
  startUp: Outcome<StartUpResult>;
}

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--quick', '--no-write'].includes(arg)) {
    process.stderr.write(`unknown option ${arg}; use --quick and/or --no-write\n`);
    process.exit(2);
  }
}
const quick = args.has('--quick');
const plan = quick ? QUICK : FULL;
const serverUrl = process.env.DATABASE_URL?.trim() || null;
const progress = (line: string) => process.stderr.write(`${line}\n`);
const loadAtStart = os.loadavg()[0] ?? 0;

cleanUpOnSignals();
const profiler = installStatementProfiler();

async function attempt<T>(part: string, work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    progress(`${part} failed: ${(error as Error).stack ?? String(error)}`);
    const firstLine = ((error as Error).message ?? String(error)).split('\n')[0] ?? '';
    return { ok: false, error: firstLine.slice(0, 160) };
  }
}

async function benchmarkBackend(backend: Backend): Promise<BackendResults> {
  const name = BACKEND_NAMES[backend];
  progress(`${name}: agent turns and the store baseline`);
  const inProcess = await attempt(`${name} in-process benchmarks`, async () => {
    const database = await openBenchDatabase(backend, serverUrl);
    try {
      const parley = await startBenchParley(database.handle, createInstantModel());
      try {
        progress('  store insert baseline');
        const baseline = await measureStoreInsert(
          createDrizzleStore(database.handle.db),
          parley.business.id,
          plan.baseline,
        );
        const turns = await measureAgentTurns(parley, profiler, plan.turns, progress);
        return { baseline, turns };
      } finally {
        await parley.close();
      }
    } finally {
      await database.close();
    }
  });

  progress(`${name}: start-up (node bin/parley.js start)`);
  const startUp = await attempt(`${name} start-up`, async () => {
    const dataDir = await createScratchFolder('parley-bench-start-');
    if (backend === 'pglite') return measureStartUps(dataDir, null, plan.startUpRuns);
    const startDatabase = await createPostgresDatabase(serverUrl!);
    try {
      return await measureStartUps(dataDir, startDatabase.url, plan.startUpRuns);
    } finally {
      await startDatabase.drop();
    }
  });
  return { backend, inProcess, startUp };
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

/**
 * The stand-alone benchmarks of other parts (each also runs on its own with `npx tsx`): their
 * result records, shown as they come.
 */
async function componentSections(): Promise<ResultSection[]> {
  const components: Array<{ title: string; run: () => Promise<Record<string, unknown>> }> = [
    {
      title: `Grounding check (bench/grounding-check.ts, ${plan.groundingReplies.toLocaleString('en-GB')} replies)`,
      run: async () => {
        const { benchGroundingCheck } = await import('./grounding-check.js');
        return benchGroundingCheck(plan.groundingReplies);
      },
    },
    {
      title: `PII redaction (bench/pii-redaction.ts, ${plan.piiDigitStrings.toLocaleString('en-GB')} digit strings)`,
      run: async () => {
        const { benchPiiRedaction } = await import('./pii-redaction.js');
        return benchPiiRedaction(plan.piiDigitStrings);
      },
    },
  ];
  const sections: ResultSection[] = [];
  for (const component of components) {
    progress(component.title);
    const outcome = await attempt(component.title, component.run);
    sections.push({
      title: component.title,
      columns: ['Measure', 'Value'],
      rows: outcome.ok
        ? Object.entries(outcome.value).map(([measure, value]) => [measure, describeValue(value)])
        : [['failed', outcome.error]],
    });
  }
  return sections;
}

function describeValue(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, inner]) => `${key}: ${describeValue(inner)}`)
      .join(', ');
  }
  return String(value);
}

function baselineSection(results: BackendResults[]): ResultSection {
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

function turnSection(results: BackendResults[]): ResultSection {
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

function statementSection(results: BackendResults[]): ResultSection {
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
      `Per message, ${plan.turns.contacts} concurrent`,
      `ms, ${plan.turns.contacts} concurrent`,
    ],
    rows: [...rows, ...missingRows(results, 6, (result) => result.inProcess)],
  };
}

function startUpSection(results: BackendResults[]): ResultSection {
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

async function describeRun(): Promise<string[]> {
  const cpus = os.cpus();
  const git = (...gitArgs: string[]) => {
    try {
      return execFileSync('git', gitArgs, { encoding: 'utf8', stdio: 'pipe' }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--', 'src', 'bin', 'drizzle') !== '';
  let postgres = 'not used (DATABASE_URL unset)';
  if (serverUrl) {
    postgres = await withAdminClient(serverUrl, async (client) => {
      const result = await client.query<{ server_version: string }>('SHOW server_version');
      return `PostgreSQL ${result.rows[0]?.server_version ?? '?'} on the same machine`;
    });
  }
  return [
    `- Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${quick ? '`--quick`' : 'full'} mode, commit ${commit}${dirty ? ' with uncommitted changes under src/' : ''}.`,
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}.`,
    `- Load average (1 min) of the machine: ${formatNumber(loadAtStart)} at the start, ${formatNumber(os.loadavg()[0] ?? 0)} at the end; above ~0.5, other processes were competing for the ${cpus.length} cores and the numbers are pessimistic.`,
    `- Database server: ${postgres}. Parley's defaults: TurnWorker concurrency 4, pool of 10 connections, worker poll ${WORKER_POLL_MS} ms.`,
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  ensureConsoleBuilt(progress);
  const backends: Backend[] = serverUrl ? ['pglite', 'postgres'] : ['pglite'];
  if (!serverUrl) progress('PostgreSQL: skipped: set DATABASE_URL');
  const results: BackendResults[] = [];
  for (const backend of backends) results.push(await benchmarkBackend(backend));
  const components = await componentSections();

  const report = [
    ...(await describeRun()),
    '',
    ...[baselineSection, turnSection, statementSection, startUpSection].map(
      (section) => `${renderSection(section(results))}\n`,
    ),
    ...components.map((section) => `${renderSection(section)}\n`),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (!args.has('--no-write')) {
    await writeResultsInto(RESULTS_FILE, report);
    progress(`results written to docs/benchmarks.md`);
  }
  progress(`done in ${formatNumber((performance.now() - started) / 1000)} s`);
}

try {
  await main();
} finally {
  await cleanUpEverything();
}
