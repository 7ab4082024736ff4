// The floor for bench/gateway-overhead.ts: the least a proxy can do on this machine, in its own
// process. It reads the request, parses it as JSON (as any gateway must, to route it), forwards it
// on undici's Pool and relays the answer, with no authentication, routing, policy, redaction or
// log. What it adds over the direct path is what the extra hop itself costs here (two more
// loopback writes, two more process wake-ups), which no gateway can avoid; Parley's added latency is
// reported next to it. Prints its base URL on stdout.
//   node --import tsx bench/gateway-bare-proxy.ts http://127.0.0.1:PORT/v1
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = new URL(`${process.argv[2]!.replace(/\/+$/, '')}/chat/completions`);
const pool = new Pool(upstream.origin, { connections: 256 });
const headers = { 'content-type': 'application/json' };

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    JSON.parse(body.toString('utf8'));
    pool
      .request({ path: upstream.pathname, method: 'POST', headers, body })
      .then(async (answer) => {
        const type = String(answer.headers['content-type'] ?? 'application/json');
        if (!type.startsWith('text/event-stream')) {
          // A whole answer in one write, with its length, as Parley sends one.
          const whole = Buffer.from(await answer.body.arrayBuffer());
          response.writeHead(answer.statusCode, {
            'content-type': type,
            'content-length': whole.length,
          });
          response.end(whole);
          return;
        }
        response.writeHead(answer.statusCode, {
          'content-type': type,
          'cache-control': 'no-cache',
        });
        for await (const chunk of answer.body as AsyncIterable<Buffer>) response.write(chunk);
        response.end();
      })
      .catch(() => {
        response.writeHead(502).end();
      });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
