import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createDrizzleStore } from '../src/store/drizzle-store.js';
import { withAdminClient } from '../test/support/test-database.js';
import { measureAgentTurns, type TurnPlan } from './agent-turn-overhead.js';
import { benchCatalogSearch } from './catalog-search.js';
import { benchGatewayOverhead, type GatewayPlan } from './gateway-overhead.js';
import { ensureConsoleBuilt, measureStartUps } from './start-up-time.js';
import { measureStoreInsert, type BaselinePlan } from './store-insert-baseline.js';
import {
  createPostgresDatabase,
  createScratchFolder,
  openBenchDatabase,
  type Backend,
} from './support/bench-database.js';
import { cleanUpEverything, cleanUpOnSignals } from './support/cleanup.js';
import { createInstantModel } from './support/instant-model.js';
import { formatNumber } from './support/latency-stats.js';
import { renderSection, writeResultsInto, type ResultSection } from './support/results-report.js';
import { startBenchParley, WORKER_POLL_MS } from './support/start-bench-parley.js';
import {
  BACKEND_NAMES,
  baselineSection,
  describeValue,
  startUpSection,
  statementSection,
  turnSection,
  type BackendResults,
  type Outcome,
} from './support/result-sections.js';
import { installStatementProfiler } from './support/statement-profiler.js';
import { gatewaySection, type TargetRow } from './support/gateway-section.js';
import {
  catalogSection,
  componentTargets,
  ingestionSection,
  inProcessTargets,
  knowledgeSection,
  knowledgeTargets,
  targetSummary,
  type CatalogResults,
  type KnowledgeModule,
  type KnowledgeOutcome,
} from './support/target-summary.js';
import { measureWebhookIngestion, type IngestionResult } from './webhook-ingestion.js';

const RESULTS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

interface Plan {
  baseline: BaselinePlan;
  turns: TurnPlan;
  startUpRuns: number;
  groundingReplies: number;
  piiDigitStrings: number;
  webhooks: { messages: number; concurrency: number };
  catalog: { products: number; queries: number };
  knowledge: { passages: number; queries: number };
  gateway: Omit<GatewayPlan, 'progress'>;
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
  webhooks: { messages: 6_000, concurrency: 64 },
  catalog: { products: 10_000, queries: 300 },
  knowledge: { passages: 50_000, queries: 300 },
  gateway: { sequential: 400, concurrent: 3_200, delayMs: 20, repeats: 3 },
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
  webhooks: { messages: 1_500, concurrency: 64 },
  catalog: { products: 2_000, queries: 120 },
  knowledge: { passages: 10_000, queries: 120 },
  gateway: { sequential: 150, concurrent: 1_280, delayMs: 20, repeats: 2 },
};

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--quick', '--no-write'].includes(arg)) {
    process.stderr.write(`unknown option ${arg}; use --quick and/or --no-write\n`);
    process.exit(2);
  }
}
// BENCH_QUICK=1 is the same as --quick (for CI, where arguments are harder to pass).
const quick = args.has('--quick') || process.env.BENCH_QUICK === '1';
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

/** Signed WhatsApp webhooks acknowledged per second, on each backend (bench/webhook-ingestion.ts). */
async function webhookIngestion(backends: Backend[]): Promise<Outcome<IngestionResult[]>> {
  return attempt('webhook ingestion', async () => {
    const results: IngestionResult[] = [];
    for (const backend of backends) {
      progress(`${BACKEND_NAMES[backend]}: webhook ingestion (${plan.webhooks.messages} messages)`);
      results.push(
        await measureWebhookIngestion({
          backend: backend,
          databaseUrl: serverUrl,
          ...plan.webhooks,
        }),
      );
    }
    return results;
  });
}

async function catalogSearch(): Promise<Outcome<CatalogResults>> {
  progress(`catalog search (${plan.catalog.products.toLocaleString('en-GB')} products)`);
  return attempt('catalog search', async () => {
    const results = await benchCatalogSearch(plan.catalog, serverUrl ?? undefined);
    return results;
  });
}

/**
 * bench/knowledge-search.ts (`benchKnowledgeSearch`, `renderTable`), loaded when it is there: the
 * table it renders, and target rows from its results.
 */
async function knowledgeSearch(): Promise<Outcome<KnowledgeOutcome> | null> {
  const specifier = './knowledge-search.js';
  const module = (await import(specifier).catch(() => null)) as KnowledgeModule | null;
  if (!module) return null;
  progress(`knowledge search (${plan.knowledge.passages.toLocaleString('en-GB')} passages)`);
  return attempt('knowledge search', async () => {
    const results = await module.benchKnowledgeSearch(plan.knowledge, serverUrl ?? undefined);
    return { table: module.renderTable(results), results };
  });
}

async function gatewayOverhead() {
  progress('model gateway overhead');
  return attempt('model gateway overhead', () =>
    benchGatewayOverhead({ ...plan.gateway, progress }),
  );
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
  const ingestion = await webhookIngestion(backends);
  const catalog = await catalogSearch();
  const knowledge = await knowledgeSearch();
  const gateway = await gatewayOverhead();
  const components = await componentSections();

  const gatewayParts = gateway.ok ? gatewaySection(gateway.value) : null;
  const targets: TargetRow[] = [
    ...inProcessTargets(results),
    ...(ingestion.ok ? ingestionSection(ingestion.value, results).targets : []),
    ...(catalog.ok ? catalogSection(catalog.value).targets : []),
    ...(knowledge?.ok ? knowledgeTargets(knowledge.value.results) : []),
    ...(gatewayParts?.targets ?? []),
    ...componentTargets(components),
  ];
  const failed = (title: string, outcome: Outcome<unknown>) =>
    outcome.ok ? [] : [`### ${title}\n\nfailed: ${outcome.error}\n`];
  const report = [
    ...(await describeRun()),
    '',
    `${renderSection(targetSummary(targets))}\n`,
    ...[
      baselineSection(results),
      turnSection(results),
      statementSection(results, plan.turns.contacts),
      startUpSection(results),
    ].map((section) => `${renderSection(section)}\n`),
    ...(ingestion.ok
      ? [`${ingestionSection(ingestion.value, results).markdown}\n`]
      : failed('Webhook ingestion', ingestion)),
    ...(catalog.ok
      ? [`${renderSection(catalogSection(catalog.value).section)}\n`]
      : failed('Catalog search', catalog)),
    `${knowledgeSection(knowledge)}\n`,
    ...(gatewayParts
      ? [`${renderSection(gatewayParts.section)}\n`]
      : failed('Model gateway overhead', gateway)),
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
