// Gateway overhead: the same chat requests sent straight to a stand-in upstream (20 ms) and
// through Parley's /v1/chat/completions, in one run, at c=1 and c=64; with and without redaction;
// and the added time to first token when streaming. Run: npx tsx bench/gateway-overhead.ts [quick]
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
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

interface Sample {
  totalMs: number;
  firstByteMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

/** One POST; resolves with total time and time to the first body byte that carries content. */
function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  firstMarker: string | null,
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs = -1;
    let seen = '';
    const call = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (firstByteMs < 0) {
            seen += chunk;
            if (firstMarker === null || seen.includes(firstMarker))
              firstByteMs = performance.now() - started;
          }
        });
        response.on('end', () => {
          if (response.statusCode !== 200)
            return reject(new Error(`HTTP ${response.statusCode}: ${seen.slice(0, 200)}`));
          resolve({ totalMs: performance.now() - started, firstByteMs });
        });
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

async function load(total: number, concurrency: number, send: () => Promise<Sample>) {
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        samples.push(await send());
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { samples, requestsPerSecond: total / seconds };
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
    const direct = () => post(`${upstreamUrl}/chat/completions`, bodyFor('stand-in'), {}, null);
    const through = (model: string) => () =>
      post(`${parley.url}/v1/chat/completions`, bodyFor(model), auth, null);

    // Warm up every path (connections, JIT, the API-key cache).
    for (let index = 0; index < 50; index++) {
      await direct();
      await through('plain')();
      await through('redacted')();
    }
    const results: Record<string, unknown> = {};
    for (const concurrency of [1, 64]) {
      const total = concurrency === 1 ? plan.sequential : plan.concurrent;
      const base = await load(total, concurrency, direct);
      const row: Record<string, unknown> = {
        directP50: round(
          percentile(
            base.samples.map((s) => s.totalMs),
            50,
          ),
        ),
        directP99: round(
          percentile(
            base.samples.map((s) => s.totalMs),
            99,
          ),
        ),
        directRps: Math.round(base.requestsPerSecond),
      };
      for (const model of ['plain', 'redacted']) {
        const via = await load(total, concurrency, through(model));
        const totals = via.samples.map((s) => s.totalMs);
        row[model] = {
          p50: round(percentile(totals, 50)),
          p99: round(percentile(totals, 99)),
          addedP50: round(percentile(totals, 50) - (row.directP50 as number)),
          addedP99: round(percentile(totals, 99) - (row.directP99 as number)),
          rps: Math.round(via.requestsPerSecond),
        };
      }
      results[`c=${concurrency}`] = row;
    }
    // Streaming: time to the first content delta, direct and through Parley.
    const streamDirect = await load(plan.sequential / 2, 1, () =>
      post(`${upstreamUrl}/chat/completions`, bodyFor('stand-in', true), {}, '"content":"Your'),
    );
    const streamVia = await load(plan.sequential / 2, 1, () =>
      post(`${parley.url}/v1/chat/completions`, bodyFor('plain', true), auth, '"content":"Your'),
    );
    const ttft = (samples: Sample[]) =>
      round(
        percentile(
          samples.map((s) => s.firstByteMs),
          50,
        ),
      );
    results.streaming = {
      directTtftP50: ttft(streamDirect.samples),
      parleyTtftP50: ttft(streamVia.samples),
      addedTtftP50: round(ttft(streamVia.samples) - ttft(streamDirect.samples)),
      addedTtftP99: round(
        percentile(
          streamVia.samples.map((s) => s.firstByteMs),
          99,
        ) -
          percentile(
            streamDirect.samples.map((s) => s.firstByteMs),
            99,
          ),
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
    agent.destroy();
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
