// The load generator of bench/gateway-overhead.ts, in its own process so that sending requests
// does not compete with the gateway for the same event loop, and on undici's Pool (one kept-alive
// connection per concurrent request), the cheapest HTTP client Node has. Usage:
//   node --import tsx bench/gateway-load.ts '{"url":…,"body":…,"headers":{},"marker":null,"total":400,"concurrency":1,"warmup":50}'
// It warms up first (every pooled connection opened, its own code compiled), prints `warm`, and
// waits for a line on stdin before the measured run, so the caller can start counting its own CPU
// time then; every path gets the same warm-up in the same process as its measured run.
// Then prints {"totals":[ms…],"firstBytes":[ms…],"requestsPerSecond":n}.
import { createInterface } from 'node:readline';
import { Pool } from 'undici';

interface Phase {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Time to first byte counts from the first chunk containing this (null: any byte). */
  marker: string | null;
  total: number;
  concurrency: number;
  warmup: number;
}

const phase = JSON.parse(process.argv[2]!) as Phase;
const url = new URL(phase.url);
const pool = new Pool(url.origin, { connections: phase.concurrency, pipelining: 1 });
const body = Buffer.from(phase.body);
const headers = { 'content-type': 'application/json', ...phase.headers };

async function post(): Promise<[number, number]> {
  const started = performance.now();
  let firstByteMs = -1;
  let seen = '';
  const response = await pool.request({ path: url.pathname, method: 'POST', headers, body });
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    if (firstByteMs >= 0) continue;
    seen += chunk.toString('utf8');
    if (phase.marker === null || seen.includes(phase.marker)) {
      firstByteMs = performance.now() - started;
    }
  }
  if (response.statusCode !== 200) {
    throw new Error(`HTTP ${response.statusCode}: ${seen.slice(0, 200)}`);
  }
  return [performance.now() - started, firstByteMs];
}

async function run(total: number) {
  const totals: number[] = [];
  const firstBytes: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: phase.concurrency }, async () => {
      while (next < total) {
        next++;
        const [ms, first] = await post();
        totals.push(ms);
        firstBytes.push(first);
      }
    }),
  );
  return { totals, firstBytes, requestsPerSecond: total / ((performance.now() - started) / 1000) };
}

if (phase.warmup > 0) await run(phase.warmup);
process.stdout.write('warm\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const result = await run(phase.total);
await pool.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
