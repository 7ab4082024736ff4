// The stand-in upstream of bench/gateway-overhead.ts, in its own process: an OpenAI-compatible
// chat endpoint that answers after a fixed delay, like a model server taking 20 ms. As cheap as
// it can be (plain node:http, answers serialised once at start-up, one socket write each), so the
// 2 cores it shares with Parley and the load generator go to Parley. Prints its base URL on stdout.
//   node --import tsx bench/gateway-upstream.ts 20
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const delayMs = Number(process.argv[2] ?? 20);
const text = 'Your order ships tomorrow.';
const usage = {
  prompt_tokens: 100,
  completion_tokens: 20,
  total_tokens: 120,
  prompt_tokens_details: { cached_tokens: 40 },
};
const head = { id: 'chatcmpl-1', created: 1_700_000_000, model: 'stand-in' };

const whole = Buffer.from(
  JSON.stringify({
    ...head,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage,
  }),
);
const event = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices, ...extra })}\n\n`;
const pieces = text.match(/.{1,5}/gs) ?? [];
const streamed = Buffer.from(
  [
    event([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    ...pieces.map((piece) => event([{ index: 0, delta: { content: piece }, finish_reason: null }])),
    event([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    event([], { usage }),
    'data: [DONE]\n\n',
  ].join(''),
);
const wholeHeaders = { 'content-type': 'application/json', 'content-length': whole.length };
const streamHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'content-length': streamed.length,
};

const server = createServer((request, response) => {
  // Only whether it is streamed matters; the body is not parsed.
  let stream = false;
  request.on('data', (chunk: Buffer) => {
    if (!stream && chunk.includes('"stream":true')) stream = true;
  });
  request.on('end', () => {
    setTimeout(() => {
      response.writeHead(200, stream ? streamHeaders : wholeHeaders);
      response.end(stream ? streamed : whole);
    }, delayMs);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
