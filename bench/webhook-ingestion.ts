// Sustained signed-webhook ingestion: how many WhatsApp messages per second Parley acknowledges
// (signature checked, raw body durable in the inbox, 200) and how fast it acknowledges them, on
// PGlite and PostgreSQL; plus how soon every message is stored as a message (the processor).
//
//   node --import tsx bench/webhook-ingestion.ts                      PGlite (and PostgreSQL
//   DATABASE_URL=postgres://… node --import tsx bench/webhook-ingestion.ts     when DATABASE_URL)
//   options: --messages 6000 --concurrency 64 --backend pglite|postgres --json
//
// `measureWebhookIngestion(options)` is the same measurement as a function, for bench/run-all.ts.
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { signWebhookBody } from '../src/channels/meta/webhook-signature.js';
import { DEMO_CONFIG_PATH } from '../src/cli/load-startup.js';
import { loadBusinessConfig } from '../src/config/load-business-config.js';
import { readServerSettings } from '../src/config/server-settings.js';
import { openDatabase, type DatabaseHandle } from '../src/store/database.js';
import { startParley } from '../src/server/start-parley.js';
import { databaseUrlFor, withAdminClient } from '../test/support/test-database.js';
import { demoConfigWithMeta, META } from '../test/channels/support/meta-accounts.js';

export type IngestionBackend = 'pglite' | 'postgres';

export interface IngestionOptions {
  backend: IngestionBackend;
  /** Needed for `postgres`: a server URL; a database of its own is created and dropped. */
  databaseUrl?: string | null;
  messages: number;
  /** Requests in flight at once (Meta delivers webhooks concurrently). */
  concurrency: number;
  /** Unmeasured requests first (JIT, connection pool, caches). */
  warmUp?: number;
}

export interface IngestionResult {
  backend: IngestionBackend;
  messages: number;
  concurrency: number;
  /** Acknowledged (200) webhooks per second over the measured run. */
  ackPerSecond: number;
  ackLatencyMs: { p50: number; p90: number; p99: number; max: number };
  /** From the first request to every message stored as a customer message. */
  storedPerSecond: number;
  /** Rows the intake wrote per INSERT on average (group commit under load). */
  failures: number;
}

/** Targets from the issue; reported, never enforced. */
export const INGESTION_TARGETS = {
  postgres: { perSecond: 1_000, p99Ms: 50 },
  pglite: { perSecond: 300, p99Ms: null },
} as const;

/**
 * Runs Parley (composition root, HTTP on a free port) with its agent and outbox workers stopped —
 * they are measured elsewhere — and posts `messages` signed WhatsApp webhooks, one customer message
 * each, from `concurrency` keep-alive connections.
 */
export async function measureWebhookIngestion(options: IngestionOptions): Promise<IngestionResult> {
  const scratch = await mkdtemp(join(os.tmpdir(), 'parley-bench-webhooks-'));
  let database: DatabaseHandle;
  let drop: (() => Promise<void>) | null = null;
  if (options.backend === 'postgres') {
    if (!options.databaseUrl) throw new Error('the PostgreSQL run needs DATABASE_URL');
    const serverUrl = options.databaseUrl;
    const name = `parley_bench_${randomBytes(6).toString('hex')}`;
    await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    database = await openDatabase({ kind: 'postgres', url: databaseUrlFor(serverUrl, name) });
    drop = () =>
      withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => undefined);
  } else {
    database = await openDatabase({ kind: 'pglite', dataDir: join(scratch, 'pglite') });
  }

  const settings = readServerSettings({
    PORT: '0',
    PARLEY_DATA_DIR: scratch,
    PARLEY_DEMO_PASSWORD: 'bench-password-123',
    // Nothing answers here: the agent is stopped, and no reply is sent.
    META_GRAPH_URL: 'http://127.0.0.1:9',
  });
  const config = demoConfigWithMeta(await loadBusinessConfig(DEMO_CONFIG_PATH, {}));
  const parley = await startParley({
    settings,
    config,
    demo: true,
    logger: pino({ level: 'silent' }),
    database,
    model: null,
    workerPollMs: 100,
  });
  await Promise.all([parley.turnWorker.stop(), parley.outbox.stop()]);

  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const { port } = new URL(parley.url!);
  const warmUp = options.warmUp ?? Math.min(500, Math.ceil(options.messages / 10));
  const bodies = Array.from({ length: warmUp + options.messages }, (_, index) => signedBody(index));
  const post = (body: { raw: string; signature: string }) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/webhooks/whatsapp',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body.raw),
            'x-hub-signature-256': body.signature,
          },
        },
        (incoming) => {
          incoming.resume();
          incoming.on('end', () => resolve(incoming.statusCode ?? 0));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body.raw);
    });

  const run = async (slice: typeof bodies) => {
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (let index = next++; index < slice.length; index = next++) {
          const started = performance.now();
          const status = await post(slice[index]!).catch(() => 0);
          latencies.push(performance.now() - started);
          if (status !== 200) failures += 1;
        }
      }),
    );
    return { latencies, failures };
  };

  try {
    await run(bodies.slice(0, warmUp));
    const started = performance.now();
    const measured = await run(bodies.slice(warmUp));
    const ackSeconds = (performance.now() - started) / 1000;
    // Every message stored as a customer message (the processor drained the inbox).
    while ((await parley.store.webhookInbox.pendingCount()) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const storedSeconds = (performance.now() - started) / 1000;
    const sorted = measured.latencies.sort((a, b) => a - b);
    const at = (percent: number) =>
      sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)] ?? NaN;
    return {
      backend: options.backend,
      messages: options.messages,
      concurrency: options.concurrency,
      ackPerSecond: options.messages / ackSeconds,
      ackLatencyMs: { p50: at(50), p90: at(90), p99: at(99), max: sorted.at(-1) ?? NaN },
      storedPerSecond: options.messages / storedSeconds,
      failures: measured.failures,
    };
  } finally {
    agent.destroy();
    await parley.close();
    await database.close();
    await drop?.();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One customer text, as Meta sends it when it does not batch; a new customer every 50. */
function signedBody(index: number): { raw: string; signature: string } {
  const customer = 447700000000 + Math.floor(index / 50);
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: META.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550783881',
                phone_number_id: META.phoneNumberId,
              },
              contacts: [{ profile: { name: `Customer ${customer}` }, wa_id: String(customer) }],
              messages: [
                {
                  from: String(customer),
                  id: `wamid.bench-${index}-${randomBytes(8).toString('hex')}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: {
                    body: `Benchmark message ${index}: do you have this in a 56 cm frame? 🚲`,
                  },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return { raw, signature: signWebhookBody(raw, META.appSecret) };
}

/** A Markdown table of results, with the issue's targets beside them. */
export function renderIngestionTable(results: readonly IngestionResult[]): string {
  const rows = results.map((result) => {
    const target = INGESTION_TARGETS[result.backend];
    const met =
      result.ackPerSecond >= target.perSecond &&
      (target.p99Ms === null || result.ackLatencyMs.p99 <= target.p99Ms);
    const name = result.backend === 'pglite' ? 'PGlite' : 'PostgreSQL';
    return `| ${name} | ${result.messages} | ${result.concurrency} | ${Math.round(result.ackPerSecond)} | ${result.ackLatencyMs.p50.toFixed(1)} | ${result.ackLatencyMs.p99.toFixed(1)} | ${Math.round(result.storedPerSecond)} | ${result.failures} | ≥ ${target.perSecond}/s${target.p99Ms === null ? '' : `, p99 ≤ ${target.p99Ms} ms`}: ${met ? 'met' : 'not met'} |`;
  });
  return [
    '| backend | messages | in flight | acknowledged/s | ack p50 (ms) | ack p99 (ms) | stored/s | failed | target |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --- |',
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const messages = Number(option('messages') ?? 6_000);
  const concurrency = Number(option('concurrency') ?? 64);
  const databaseUrl = process.env.DATABASE_URL ?? null;
  const chosen = option('backend') as IngestionBackend | undefined;
  const backends: IngestionBackend[] = chosen
    ? [chosen]
    : databaseUrl
      ? ['pglite', 'postgres']
      : ['pglite'];
  const results: IngestionResult[] = [];
  for (const backend of backends) {
    process.stderr.write(
      `webhook ingestion on ${backend}: ${messages} messages, ${concurrency} in flight…\n`,
    );
    results.push(await measureWebhookIngestion({ backend, databaseUrl, messages, concurrency }));
  }
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    process.stdout.write(
      `Signed WhatsApp webhook ingestion (${os.cpus().length} × ${cpu}, Node ${process.version})\n\n${renderIngestionTable(results)}\n`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
