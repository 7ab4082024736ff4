// Gateway overhead: the same chat requests sent straight to a stand-in upstream (20 ms) and
// through Parley's /v1/chat/completions, in one run, at c=1 and c=64; with and without redaction;
// and the added time to first token when streaming. Run: npx tsx bench/gateway-overhead.ts [quick]
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { DEMO_CONFIG_PATH } from '../src/cli/load-startup.js';
import { loadBusinessConfig } from '../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../src/config/models-config.js';
import { readServerSettings } from '../src/config/server-settings.js';
import { createApiKey } from '../src/server/routes/api-key-routes.js';
import { startParley } from '../src/server/start-parley.js';
import { openDatabase } from '../src/store/database.js';

interface PhaseResult {
  totals: number[];
  firstBytes: number[];
  requestsPerSecond: number;
}

/** Runs one load phase in a separate process (bench/gateway-load.ts) and returns its samples. */
async function load(phase: {
  url: string;
  body: string;
  headers?: Record<string, string>;
  marker?: string | null;
  total: number;
  concurrency: number;
  warmup?: number;
}): Promise<PhaseResult> {
  const script = new URL('./gateway-load.ts', import.meta.url).pathname;
  // Warm up at the phase's own concurrency, so every pooled connection exists before measuring.
  const plan = JSON.stringify({
    headers: {},
    marker: null,
    warmup: Math.max(50, phase.concurrency * 4),
    ...phase,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', script, plan], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the load generator failed (exit ${code})`);
  return JSON.parse(output) as PhaseResult;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (value: number) => Math.round(value * 100) / 100;

export async function benchGatewayOverhead(plan: {
  sequential: number;
  concurrent: number;
  delayMs: number;
}) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./gateway-upstream.ts', import.meta.url).pathname,
      String(plan.delayMs),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const upstreamUrl = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const database = await openDatabase({ kind: 'pglite-memory' });
  const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
  config.models = toModelsSettings(
    modelsSection.parse({
      catalog: {
        // The same upstream twice: as a local server (no redaction) and as an external API.
        plain: {
          provider: 'openai-compatible',
          model: 'stand-in',
          baseUrl: upstreamUrl,
          location: 'local',
        },
        redacted: {
          provider: 'openai-compatible',
          model: 'stand-in',
          baseUrl: upstreamUrl,
          location: 'external',
        },
      },
      tasks: { 'owner-workspace': 'plain' },
    }),
  );
  const parley = await startParley({
    settings: readServerSettings({
      PORT: '0',
      PARLEY_DATA_DIR: await mkdtemp(join(tmpdir(), 'parley-bench-')),
    }),
    config,
    demo: false,
    logger: pino({ level: 'silent' }),
    database,
    webRoot: tmpdir(),
  });
  try {
    // BENCH_NO_EGRESS=1 leaves out the egress log's database writes, to see what they cost.
    if (process.env.BENCH_NO_EGRESS) parley.store.modelCalls.insertMany = () => Promise.resolve();
    const { secret } = await createApiKey(parley, {
      businessId: parley.business.id,
      name: 'bench',
    });
    const auth = { authorization: `Bearer ${secret}` };
    const message =
      'Hi, I ordered the commuter bike last week, order 12345678, when will it ship? My email is sam@example.com and my phone +44 7911 123456.';
    const bodyFor = (model: string, stream = false) =>
      JSON.stringify({
        model,
        stream,
        messages: [
          { role: 'system', content: 'You are the shop assistant.' },
          { role: 'user', content: message },
        ],
      });
    const directUrl = `${upstreamUrl}/chat/completions`;
    const viaUrl = `${parley.url}/v1/chat/completions`;
    const results: Record<string, unknown> = {};
    for (const concurrency of [1, 64]) {
      const total = concurrency === 1 ? plan.sequential : plan.concurrent;
      const base = await load({ url: directUrl, body: bodyFor('stand-in'), total, concurrency });
      const row: Record<string, unknown> = {
        directP50: round(percentile(base.totals, 50)),
        directP99: round(percentile(base.totals, 99)),
        directRps: Math.round(base.requestsPerSecond),
      };
      for (const model of ['plain', 'redacted']) {
        const via = await load({
          url: viaUrl,
          body: bodyFor(model),
          headers: auth,
          total,
          concurrency,
        });
        row[model] = {
          p50: round(percentile(via.totals, 50)),
          p99: round(percentile(via.totals, 99)),
          addedP50: round(percentile(via.totals, 50) - (row.directP50 as number)),
          addedP99: round(percentile(via.totals, 99) - (row.directP99 as number)),
          rps: Math.round(via.requestsPerSecond),
        };
      }
      results[`c=${concurrency}`] = row;
    }
    // Streaming: time to the first content delta, direct and through Parley.
    const marker = '"content":"Your';
    const streamDirect = await load({
      url: directUrl,
      body: bodyFor('stand-in', true),
      marker,
      total: plan.sequential / 2,
      concurrency: 1,
    });
    const streamVia = await load({
      url: viaUrl,
      body: bodyFor('plain', true),
      headers: auth,
      marker,
      total: plan.sequential / 2,
      concurrency: 1,
    });
    results.streaming = {
      directTtftP50: round(percentile(streamDirect.firstBytes, 50)),
      parleyTtftP50: round(percentile(streamVia.firstBytes, 50)),
      addedTtftP50: round(
        percentile(streamVia.firstBytes, 50) - percentile(streamDirect.firstBytes, 50),
      ),
      addedTtftP99: round(
        percentile(streamVia.firstBytes, 99) - percentile(streamDirect.firstBytes, 99),
      ),
    };
    await parley.modelGateway.close();
    results.egressRowsWritten = (
      await parley.store.modelCalls.list(parley.business.id, { limit: 500 })
    ).length;
    return results;
  } finally {
    await parley.close();
    await database.close();
    child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv[2] === 'quick';
  const result = await benchGatewayOverhead({
    sequential: quick ? 100 : 400,
    concurrent: quick ? 640 : 3_200,
    delayMs: 20,
  });
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'gateway-overhead', ...result }, null, 2)}\n`,
  );
}
