// The load generator of bench/gateway-overhead.ts, in its own process so that sending requests
// does not compete with the gateway for the same event loop. Usage:
//   node --import tsx bench/gateway-load.ts '{"url":…,"body":…,"headers":{},"marker":null,"total":400,"concurrency":1,"warmup":50}'
// Prints {"totals":[ms…],"firstBytes":[ms…],"requestsPerSecond":n}.
import { Agent, request } from 'node:http';

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

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function post(phase: Phase): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs = -1;
    let seen = '';
    const call = request(
      phase.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(phase.body),
          ...phase.headers,
        },
      },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (firstByteMs >= 0) return;
          seen += chunk;
          if (phase.marker === null || seen.includes(phase.marker)) {
            firstByteMs = performance.now() - started;
          }
        });
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`HTTP ${response.statusCode}: ${seen.slice(0, 200)}`));
          } else {
            resolve([performance.now() - started, firstByteMs]);
          }
        });
      },
    );
    call.on('error', reject);
    call.end(phase.body);
  });
}

async function run(phase: Phase, total: number) {
  const totals: number[] = [];
  const firstBytes: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: phase.concurrency }, async () => {
      while (next < total) {
        next++;
        const [ms, first] = await post(phase);
        totals.push(ms);
        firstBytes.push(first);
      }
    }),
  );
  return { totals, firstBytes, requestsPerSecond: total / ((performance.now() - started) / 1000) };
}

const phase = JSON.parse(process.argv[2]!) as Phase;
if (phase.warmup > 0) await run(phase, phase.warmup);
const result = await run(phase, phase.total);
agent.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
