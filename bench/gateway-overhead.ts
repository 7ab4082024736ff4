// Gateway overhead: the same chat requests sent straight to a stand-in upstream (20 ms) and
// through Parley's /v1/chat/completions, in one run, at c=1 and c=64; with and without redaction;
// and the added time to first token when streaming. Run: npx tsx bench/gateway-overhead.ts [quick]
// (npm run bench includes it; bench/support/gateway-section.ts renders its table).
import { spawn, type ChildProcess } from 'node:child_process';
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

/**
 * Runs one load phase in a separate process (bench/gateway-load.ts): it warms up at the phase's
 * own concurrency (so every pooled connection exists and its code is compiled), then measures.
 * `measuring` is called as the measured requests start and `measured` as they end, so a caller can
 * count its own CPU time over exactly those requests. Every path is loaded the same way.
 */
async function load(
  phase: {
    url: string;
    body: string;
    headers?: Record<string, string>;
    marker?: string | null;
    total: number;
    concurrency: number;
  },
  hooks: { measuring?: () => void; measured?: () => void } = {},
): Promise<PhaseResult> {
  const script = new URL('./gateway-load.ts', import.meta.url).pathname;
  const plan = JSON.stringify({
    headers: {},
    marker: null,
    warmup: Math.max(100, phase.concurrency * 32),
    ...phase,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', script, plan], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout });
  let output = '';
  lines.on('line', (line) => {
    if (line === 'warm') {
      hooks.measuring?.();
      child.stdin.end('go\n');
    } else {
      hooks.measured?.();
      output += line;
    }
  });
  const code = await exited;
  if (code !== 0) throw new Error(`the load generator failed (exit ${code})`);
  return JSON.parse(output) as PhaseResult;
}

/** Starts a helper process of the benchmark's and returns it with the base URL it prints. */
async function startHelper(
  file: string,
  argument: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL(file, import.meta.url).pathname, argument],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { child, url };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One path's latencies (ms) and throughput in one phase. */
export interface PathStats {
  p50: number;
  p99: number;
  requestsPerSecond: number;
}

/** One repetition: every phase straight to the upstream and through Parley, back to back. */
export interface GatewayRepeat {
  /**
   * c=1 and c=64: direct, through a bare proxy (the floor: bench/gateway-bare-proxy.ts), and
   * through Parley to a local model (no redaction) and to an external one.
   */
  loads: Array<{
    concurrency: number;
    direct: PathStats;
    floor: PathStats;
    plain: PathStats;
    redacted: PathStats;
    /**
     * CPU time of the Parley process per request through it, in ms, less what the process spends
     * when idle (its workers' polls) over the same time.
     */
    cpuMsPerRequest: { plain: number; redacted: number };
  }>;
  /** Time to the first content delta, streamed, at c=1. */
  streaming: { direct: PathStats; floor: PathStats; plain: PathStats };
}

export interface GatewayOverheadResult {
  upstreamDelayMs: number;
  sequential: number;
  concurrent: number;
  repeats: GatewayRepeat[];
  /** CPU the Parley process used per second while no request came (its background workers). */
  idleCpuMsPerSecond: number;
  egressRowsWritten: number;
}

export interface GatewayPlan {
  /** Requests per path at c=1 (streaming: half as many). */
  sequential: number;
  /** Requests per path at c=64. */
  concurrent: number;
  delayMs: number;
  /** Whole repetitions, each with its own direct baseline: the spread shows the noise. */
  repeats: number;
  progress?: (line: string) => void;
}

function stats(result: PhaseResult, samples: number[] = result.totals): PathStats {
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    requestsPerSecond: result.requestsPerSecond,
  };
}

/**
 * The gateway's overhead: the same chat requests straight to a stand-in upstream (its own process,
 * answering after `delayMs`) and through Parley's `/v1/chat/completions`, at c=1 and c=64, to a
 * model configured as local (no redaction) and as external (redacted); plus streamed time to first
 * token. The load generator runs in a process of its own; Parley runs in this one, on PGlite.
 */
export async function benchGatewayOverhead(plan: GatewayPlan): Promise<GatewayOverheadResult> {
  const upstream = await startHelper('./gateway-upstream.ts', String(plan.delayMs));
  const upstreamUrl = upstream.url;
  const bareProxy = await startHelper('./gateway-bare-proxy.ts', upstreamUrl);
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
    // The baseline for CPU time: what the process uses per second with no requests at all.
    const idleStarted = performance.now();
    const idleCpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const idleUsed = process.cpuUsage(idleCpu);
    const idleCpuMsPerSecond =
      (idleUsed.user + idleUsed.system) / 1000 / ((performance.now() - idleStarted) / 1000);
    const directUrl = `${upstreamUrl}/chat/completions`;
    const viaUrl = `${parley.url}/v1/chat/completions`;
    const repeats: GatewayRepeat[] = [];
    for (let repeat = 1; repeat <= plan.repeats; repeat++) {
      const loads: GatewayRepeat['loads'] = [];
      for (const concurrency of [1, 64]) {
        plan.progress?.(`  gateway: run ${repeat} of ${plan.repeats}, c=${concurrency}`);
        const total = concurrency === 1 ? plan.sequential : plan.concurrent;
        const direct = await load({
          url: directUrl,
          body: bodyFor('stand-in'),
          total,
          concurrency,
        });
        const floor = await load({
          url: `${bareProxy.url}/chat/completions`,
          body: bodyFor('stand-in'),
          total,
          concurrency,
        });
        const via = async (model: string) => {
          const phase = { url: viaUrl, body: bodyFor(model), headers: auth, total, concurrency };
          // The CPU time counted is the measured requests' only, not the warm-up's.
          let cpu = process.cpuUsage();
          let started = 0;
          let used = { user: 0, system: 0 };
          let elapsed = 0;
          const result = await load(phase, {
            measuring: () => {
              cpu = process.cpuUsage();
              started = performance.now();
            },
            measured: () => {
              used = process.cpuUsage(cpu);
              elapsed = performance.now() - started;
            },
          });
          const idleMs = (idleCpuMsPerSecond * elapsed) / 1000;
          return { result, cpuMs: Math.max(0, (used.user + used.system) / 1000 - idleMs) };
        };
        const plain = await via('plain');
        const redacted = await via('redacted');
        loads.push({
          concurrency,
          direct: stats(direct),
          floor: stats(floor),
          plain: stats(plain.result),
          redacted: stats(redacted.result),
          cpuMsPerRequest: { plain: plain.cpuMs / total, redacted: redacted.cpuMs / total },
        });
      }
      // Streaming: time to the first content delta, direct and through Parley.
      const marker = '"content":"Your';
      const streamed = { marker, total: Math.max(20, plan.sequential / 2), concurrency: 1 };
      const streamDirect = await load({
        url: directUrl,
        body: bodyFor('stand-in', true),
        ...streamed,
      });
      const streamFloor = await load({
        url: `${bareProxy.url}/chat/completions`,
        body: bodyFor('stand-in', true),
        ...streamed,
      });
      const streamVia = await load({
        url: viaUrl,
        body: bodyFor('plain', true),
        headers: auth,
        ...streamed,
      });
      repeats.push({
        loads,
        streaming: {
          direct: stats(streamDirect, streamDirect.firstBytes),
          floor: stats(streamFloor, streamFloor.firstBytes),
          plain: stats(streamVia, streamVia.firstBytes),
        },
      });
    }
    await parley.modelGateway.close();
    const egressRowsWritten = (
      await parley.store.modelCalls.list(parley.business.id, { limit: 500 })
    ).length;
    return {
      upstreamDelayMs: plan.delayMs,
      sequential: plan.sequential,
      concurrent: plan.concurrent,
      repeats,
      idleCpuMsPerSecond,
      egressRowsWritten,
    };
  } finally {
    await parley.close();
    await database.close();
    upstream.child.kill('SIGTERM');
    bareProxy.child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv[2] === 'quick';
  const result = await benchGatewayOverhead({
    sequential: quick ? 100 : 400,
    concurrent: quick ? 640 : 3_200,
    delayMs: 20,
    repeats: quick ? 1 : 3,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'gateway-overhead', ...result }, null, 2)}\n`,
  );
}
