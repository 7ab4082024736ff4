import { Worker } from 'node:worker_threads';
import { ParleyError } from '../../core/errors.js';
import type {
  EmbedResult,
  EngineRequest,
  EngineResult,
  EngineSettings,
  WorkerReply,
  WorkerRequest,
} from './engine-protocol.js';

const WORKER_URL = new URL('./llama-worker.ts', import.meta.url).href;

// Parley runs its TypeScript through tsx; a worker thread does not inherit the loader, so the
// worker's first act is to register it, then import the real entry.
const BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`;

/**
 * The main thread's handle on the llama.cpp worker: starts it on first use, sends requests, and
 * matches replies by id. One worker per model file; its sequences and queue live in the worker.
 */
export class LlamaWorkerHost {
  #worker: Worker | null = null;
  #ready: Promise<void> | null = null;
  #nextId = 1;
  readonly #pending = new Map<
    number,
    {
      resolve: (reply: Extract<WorkerReply, { kind: 'result' | 'vectors' }>) => void;
      reject: (error: Error) => void;
      onText: ((text: string) => void) | undefined;
    }
  >();

  constructor(private readonly settings: EngineSettings) {}

  /** Generates in the worker; `onText` receives a plain reply's text as the model writes it. */
  async generate(
    request: EngineRequest,
    signal?: AbortSignal,
    onText?: (text: string) => void,
  ): Promise<EngineResult> {
    const reply = await this.#request(
      (id) => ({ kind: 'generate', id, request, stream: onText !== undefined }),
      signal,
      onText,
    );
    if (reply.kind !== 'result') throw new Error(`The local model answered ${reply.kind}.`);
    return reply.result;
  }

  /** Embeds texts in the worker, taking turns per text with other embedding callers. */
  async embed(texts: string[], signal?: AbortSignal): Promise<EmbedResult> {
    const reply = await this.#request((id) => ({ kind: 'embed', id, texts }), signal);
    if (reply.kind !== 'vectors') throw new Error(`The local model answered ${reply.kind}.`);
    return reply.result;
  }

  async #request(
    message: (id: number) => WorkerRequest,
    signal: AbortSignal | undefined,
    onText?: (text: string) => void,
  ): Promise<Extract<WorkerReply, { kind: 'result' | 'vectors' }>> {
    await this.#start();
    // Also a caller that gave up while the worker was starting: its abort event has passed.
    signal?.throwIfAborted();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onText });
      this.#post(message(id));
      signal?.addEventListener(
        'abort',
        () => {
          this.#post({ kind: 'abort', id });
          this.#pending.delete(id);
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        },
        { once: true },
      );
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = null;
    this.#ready = null;
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ kind: 'close' } satisfies WorkerRequest);
      // A worker stuck in native code still has to go.
      setTimeout(() => void worker.terminate(), 5_000).unref();
    });
  }

  #post(message: WorkerRequest): void {
    this.#worker?.postMessage(message);
  }

  #start(): Promise<void> {
    this.#ready ??= new Promise<void>((resolve, reject) => {
      const worker = new Worker(BOOTSTRAP, { eval: true, workerData: this.settings });
      this.#worker = worker;
      worker.on('message', (reply: WorkerReply) => {
        switch (reply.kind) {
          case 'ready':
            return resolve();
          case 'failed':
            return reject(
              new ParleyError(
                'model_unavailable',
                `The local model ${this.settings.modelPath} could not be loaded: ${reply.message}. Check the file (parley model list) or pull it again.`,
              ),
            );
          case 'chunk':
            this.#pending.get(reply.id)?.onText?.(reply.text);
            return;
          case 'result':
          case 'vectors':
            this.#pending.get(reply.id)?.resolve(reply);
            this.#pending.delete(reply.id);
            return;
          case 'error':
            this.#pending.get(reply.id)?.reject(new Error(reply.message));
            this.#pending.delete(reply.id);
            return;
          case 'closed':
            return;
        }
      });
      worker.on('error', (error) => {
        reject(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
      });
      worker.on('exit', () => {
        this.#worker = null;
        this.#ready = null;
      });
    });
    return this.#ready;
  }
}
