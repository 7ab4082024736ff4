import { parentPort, workerData } from 'node:worker_threads';
import type { EngineSettings, WorkerReply, WorkerRequest } from './engine-protocol.js';
import { LlamaEngine } from './llama-engine.js';

// The worker thread that owns llama.cpp: token generation is CPU-bound native work, and keeping it
// off the main thread keeps the HTTP server and the other conversations responsive.
const port = parentPort;
if (!port) throw new Error('llama-worker must run in a worker thread');
const send = (reply: WorkerReply) => port.postMessage(reply);

const controllers = new Map<number, AbortController>();
let engine: LlamaEngine | null = null;
try {
  engine = await LlamaEngine.open(workerData as EngineSettings);
  send({ kind: 'ready' });
} catch (error) {
  send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}

/** Runs one request with its own abort controller and sends its reply or its error. */
function run(id: number, work: (engine: LlamaEngine, signal: AbortSignal) => Promise<WorkerReply>) {
  if (!engine) {
    send({ kind: 'error', id, message: 'The model did not load.' });
    return;
  }
  const controller = new AbortController();
  controllers.set(id, controller);
  void work(engine, controller.signal)
    .then(send, (error: unknown) =>
      send({ kind: 'error', id, message: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => controllers.delete(id));
}

port.on('message', (message: WorkerRequest) => {
  switch (message.kind) {
    case 'generate': {
      const stream = message.stream;
      run(message.id, (current, signal) =>
        current
          .generate(
            message.request,
            signal,
            stream ? (text) => send({ kind: 'chunk', id: message.id, text }) : undefined,
          )
          .then((result): WorkerReply => ({ kind: 'result', id: message.id, result })),
      );
      return;
    }
    case 'embed':
      run(message.id, (current, signal) =>
        current
          .embed(message.texts, signal)
          .then((result): WorkerReply => ({ kind: 'vectors', id: message.id, result })),
      );
      return;
    case 'abort':
      controllers.get(message.id)?.abort();
      return;
    case 'close':
      void (engine?.close() ?? Promise.resolve()).finally(() => {
        send({ kind: 'closed' });
        port.close();
      });
      return;
  }
});
