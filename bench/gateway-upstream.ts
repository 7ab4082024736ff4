// A stand-in upstream in its own process for bench/gateway-overhead.ts: answers chat completions
// after a fixed delay, like a model server that takes 20 ms. Prints its base URL on stdout.
import { startStandInUpstream } from '../test/models/support/stand-in-upstream.js';

const delayMs = Number(process.argv[2] ?? 20);
const upstream = await startStandInUpstream({ delayMs, record: false });
upstream.replies = [{ kind: 'text', text: 'Your order ships tomorrow.' }];
process.stdout.write(`${upstream.baseUrl}\n`);
process.on('SIGTERM', () => void upstream.close().then(() => process.exit(0)));
