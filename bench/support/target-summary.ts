import {
  INGESTION_TARGETS,
  renderIngestionTable,
  type IngestionResult,
} from '../webhook-ingestion.js';
import type { TargetRow } from './gateway-section.js';
import { formatNumber } from './latency-stats.js';
import {
  BACKEND_NAMES,
  START_UP_TARGET_MS,
  TURN_P99_TARGET_MS,
  type BackendResults,
  type Outcome,
} from './result-sections.js';
import type { ResultSection } from './results-report.js';

/** Catalog search targets (issue 5): p99 per backend. */
const CATALOG_P99_TARGET_MS = { pglite: 20, postgres: 10 } as const;
/** Grounding and redaction targets, per 1 KB of text. */
const GROUNDING_TARGET_MS = 1;
const PII_TARGET_MS = 0.2;
const PII_FALSE_POSITIVE_TARGET = 0.001;
const PII_RECALL_TARGET = 0.99;

const met = (ok: boolean) => (ok ? 'met' : 'not met');

interface CatalogMeasure {
  products: number;
  queries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  p50VsBaseline: number;
  p99VsBaseline: number;
  queriesWithNoHit: number;
}

/** What `benchCatalogSearch` returns: one measure per backend it ran on. */
export type CatalogResults = Partial<Record<'pglite' | 'postgres', CatalogMeasure>>;

/** Every target of the run in one table: what was asked, what was measured, against what. */
export function targetSummary(rows: TargetRow[]): ResultSection {
  return {
    title: 'Targets at a glance',
    lead: 'Each target from the issues, the value this run measured, the baseline it is compared with in the same run (same machine, same moment) and the ratio between them. Sections below give the details.',
    columns: ['Part', 'Target', 'Measured', 'Baseline (same run)', 'Ratio', 'Met'],
    rows: rows.map((row) => [row.part, row.target, row.measured, row.baseline, row.ratio, row.met]),
  };
}

/** Agent turns (PostgreSQL, concurrent) and start-up, from the per-backend results. */
export function inProcessTargets(results: BackendResults[]): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const result of results) {
    const name = BACKEND_NAMES[result.backend];
    if (result.inProcess.ok && result.backend === 'postgres') {
      const floor = result.inProcess.value.baseline[0]!.latency;
      for (const scenario of result.inProcess.value.turns.slice(1)) {
        rows.push({
          part: `Agent turn, ${name}, ${scenario.load}`,
          target: `p99 ≤ ${TURN_P99_TARGET_MS} ms`,
          measured: `${formatNumber(scenario.turn.p99)} ms p99`,
          baseline: `${formatNumber(floor.p99)} ms p99 insert transaction`,
          ratio: `${formatNumber(scenario.turn.p99 / floor.p99)}×`,
          met: met(scenario.turn.p99 <= TURN_P99_TARGET_MS),
        });
      }
    }
    if (result.startUp.ok) {
      const again = [...result.startUp.value.again.map((run) => run.readyMs)].sort((a, b) => a - b);
      const median = again[Math.floor((again.length - 1) / 2)] ?? NaN;
      const first = result.startUp.value.first.readyMs;
      rows.push({
        part: `Start-up, ${name}`,
        target: `≤ ${START_UP_TARGET_MS / 1000} s to /readyz`,
        measured: `${formatNumber(median / 1000)} s (first start ${formatNumber(first / 1000)} s)`,
        baseline: '– (no cheaper way to start)',
        ratio: '–',
        met: `${met(median <= START_UP_TARGET_MS)} (first start: ${met(first <= START_UP_TARGET_MS)})`,
      });
    }
  }
  return rows;
}

/** Webhook ingestion: its own table, and target rows against the store's insert baseline. */
export function ingestionSection(
  ingestion: IngestionResult[],
  results: BackendResults[],
): { markdown: string; targets: TargetRow[] } {
  const targets = ingestion.map((result): TargetRow => {
    const target = INGESTION_TARGETS[result.backend];
    const ok =
      result.ackPerSecond >= target.perSecond &&
      (target.p99Ms === null || result.ackLatencyMs.p99 <= target.p99Ms);
    const backend = results.find((entry) => entry.backend === result.backend);
    const insert =
      backend?.inProcess.ok === true
        ? backend.inProcess.value.baseline.find((entry) => entry.load.includes('concurrent'))
        : undefined;
    return {
      part: `Webhook ingestion, ${BACKEND_NAMES[result.backend]}`,
      target: `≥ ${target.perSecond.toLocaleString('en-GB')}/s${target.p99Ms === null ? '' : `, p99 ≤ ${target.p99Ms} ms`}`,
      measured: `${formatNumber(result.ackPerSecond)}/s, p99 ${formatNumber(result.ackLatencyMs.p99)} ms`,
      baseline: insert
        ? `${formatNumber(insert.perSecond)} insert transactions/s (100 concurrent)`
        : '–',
      ratio: insert ? `${formatNumber(result.ackPerSecond / insert.perSecond)}×` : '–',
      met: met(ok),
    };
  });
  const markdown = [
    '### Webhook ingestion (bench/webhook-ingestion.ts)',
    '',
    `Signed WhatsApp webhooks, one customer message each, posted from 64 keep-alive connections to a running Parley (HTTP on a free port, agent and outbox stopped): acknowledged means the raw body is durable and Meta got its 200; stored means the processor turned it into a customer message. The targets summary compares acknowledgements per second with the store's insert transactions per second on the same backend.`,
    '',
    renderIngestionTable(ingestion),
  ].join('\n');
  return { markdown, targets };
}

/** Product search: p50/p99 against a product lookup by handle, measured right after each search. */
export function catalogSection(results: CatalogResults): {
  section: ResultSection;
  targets: TargetRow[];
} {
  const rows: string[][] = [];
  const targets: TargetRow[] = [];
  for (const backend of ['pglite', 'postgres'] as const) {
    const measure = results[backend];
    if (!measure) continue;
    const limit = CATALOG_P99_TARGET_MS[backend];
    const ok = measure.p99Ms <= limit;
    rows.push([
      BACKEND_NAMES[backend],
      measure.products.toLocaleString('en-GB'),
      String(measure.queries),
      formatNumber(measure.p50Ms),
      formatNumber(measure.p99Ms),
      formatNumber(measure.maxMs),
      formatNumber(measure.baselineP50Ms),
      formatNumber(measure.baselineP99Ms),
      `${formatNumber(measure.p99VsBaseline)}×`,
      String(measure.queriesWithNoHit),
      `p99 ≤ ${limit} ms: ${met(ok)}`,
    ]);
    targets.push({
      part: `Catalog search, ${BACKEND_NAMES[backend]}, ${measure.products.toLocaleString('en-GB')} products`,
      target: `p99 ≤ ${limit} ms`,
      measured: `${formatNumber(measure.p99Ms)} ms p99`,
      baseline: `${formatNumber(measure.baselineP99Ms)} ms p99 product lookup`,
      ratio: `${formatNumber(measure.p99VsBaseline)}×`,
      met: met(ok),
    });
  }
  if (!results.postgres)
    rows.push(['PostgreSQL', 'skipped: set DATABASE_URL', ...Array<string>(9).fill('–')]);
  return {
    section: {
      title: 'Catalog search (bench/catalog-search.ts)',
      lead: 'Product searches of six kinds (words, typos, questions, price and stock filters, options, categories) over a generated catalogue; each is followed by the baseline, one product read by its handle, so both see the same load.',
      columns: [
        'Backend',
        'Products',
        'Searches',
        'p50 ms',
        'p99 ms',
        'Max ms',
        'Lookup p50 ms',
        'Lookup p99 ms',
        'p99 × lookup',
        'Searches with no hit',
        'Target',
      ],
      rows,
    },
    targets,
  };
}

/** What bench/knowledge-search.ts measures per backend. */
export interface KnowledgeResult {
  backend: 'pglite' | 'postgres';
  passages: number;
  p99Ms: number;
  baselineP99Ms: number;
  targetP99Ms: number;
}

/** bench/knowledge-search.ts, loaded by path so the run works before and after it lands. */
export interface KnowledgeModule {
  benchKnowledgeSearch(
    plan: { passages: number; queries: number },
    databaseUrl: string | undefined,
  ): Promise<KnowledgeResult[]>;
  renderTable(results: readonly KnowledgeResult[]): string;
}

export interface KnowledgeOutcome {
  table: string;
  results: KnowledgeResult[];
}

/** The knowledge-search table when bench/knowledge-search.ts exists, else a marked gap. */
export function knowledgeSection(outcome: Outcome<KnowledgeOutcome> | null): string {
  const title = '### Knowledge search (bench/knowledge-search.ts)';
  if (outcome === null) return `${title}\n\nnot run: bench/knowledge-search.ts is not there yet.`;
  return outcome.ok
    ? `${title}\n\nSearches over generated passages, each against a baseline in the same run: one document read by its key.\n\n${outcome.value.table}`
    : `${title}\n\nfailed: ${outcome.error}`;
}

export function knowledgeTargets(results: KnowledgeResult[]): TargetRow[] {
  return results.map((result) => ({
    part: `Knowledge search, ${BACKEND_NAMES[result.backend]}, ${result.passages.toLocaleString('en-GB')} passages`,
    target: `p99 ≤ ${result.targetP99Ms} ms`,
    measured: `${formatNumber(result.p99Ms)} ms p99`,
    baseline: `${formatNumber(result.baselineP99Ms)} ms p99 document read`,
    ratio: `${formatNumber(result.p99Ms / result.baselineP99Ms)}×`,
    met: met(result.p99Ms <= result.targetP99Ms),
  }));
}

function valueOf(sections: ResultSection[], titleStart: string, measure: string): string | null {
  const section = sections.find((candidate) => candidate.title.startsWith(titleStart));
  return section?.rows.find((row) => row[0] === measure)?.[1] ?? null;
}

/** Grounding and PII redaction targets, read from their result records. */
export function componentTargets(sections: ResultSection[]): TargetRow[] {
  const rows: TargetRow[] = [];
  const grounding = Number(valueOf(sections, 'Grounding check', 'meanMsPer1KbReply'));
  if (Number.isFinite(grounding) && valueOf(sections, 'Grounding check', 'meanMsPer1KbReply')) {
    rows.push({
      part: 'Grounding check',
      target: `≤ ${GROUNDING_TARGET_MS} ms per 1 KB reply`,
      measured: `${formatNumber(grounding)} ms (mean)`,
      baseline: '– (CPU only, no I/O to compare with)',
      ratio: '–',
      met: met(grounding <= GROUNDING_TARGET_MS),
    });
  }
  const typical = valueOf(sections, 'PII redaction', 'msPer1KbMessageTypical');
  const dense = valueOf(sections, 'PII redaction', 'msPer1KbMessageDense');
  if (typical && dense) {
    rows.push({
      part: 'PII redaction, cost',
      target: `≤ ${PII_TARGET_MS} ms per 1 KB message (typical)`,
      measured: `${formatNumber(Number(typical))} ms typical, ${formatNumber(Number(dense))} ms dense`,
      baseline: '– (CPU only)',
      ratio: '–',
      // The target is per ordinary message; the dense one (a value every few words) is shown too.
      met: met(Number(typical) <= PII_TARGET_MS),
    });
  }
  const falsePositives = valueOf(sections, 'PII redaction', 'falsePositiveRate');
  if (falsePositives !== null) {
    rows.push({
      part: 'PII redaction, false positives on random digit strings',
      target: `≤ ${PII_FALSE_POSITIVE_TARGET * 100}%`,
      measured: `${formatNumber(Number(falsePositives) * 100)}%`,
      baseline: '–',
      ratio: '–',
      met: met(Number(falsePositives) <= PII_FALSE_POSITIVE_TARGET),
    });
  }
  const recall = valueOf(sections, 'PII redaction', 'recallByRecogniser');
  if (recall) {
    const values = [...recall.matchAll(/:\s*([\d.]+)/g)].map((match) => Number(match[1]));
    const lowest = Math.min(...values);
    rows.push({
      part: 'PII redaction, recall (every recogniser)',
      target: `≥ ${PII_RECALL_TARGET}`,
      measured: `lowest ${formatNumber(lowest)}`,
      baseline: '–',
      ratio: '–',
      met: met(lowest >= PII_RECALL_TARGET),
    });
  }
  return rows;
}
