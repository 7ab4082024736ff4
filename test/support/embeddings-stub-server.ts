import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Words that mean the same thing land on the same axis, so "money back" is near "refund" though
 * they share no word: what a real embeddings model does, made deterministic for tests.
 */
const CONCEPTS: readonly string[][] = [
  ['refund', 'refunds', 'refunded', 'reimburse', 'reimbursed', 'money', 'repay'],
  ['deliver', 'delivery', 'deliveries', 'shipping', 'ship', 'courier', 'parcel', 'post'],
  ['repair', 'repairs', 'fix', 'fixed', 'mend', 'broken', 'service'],
  ['warranty', 'guarantee', 'guaranteed', 'defect', 'defects'],
  ['bike', 'bikes', 'bicycle', 'bicycles', 'cycle'],
  ['helmet', 'helmets', 'headgear'],
  ['open', 'opening', 'hours', 'closed', 'weekday', 'weekend'],
  ['price', 'cost', 'costs', 'cheap', 'expensive', 'fee', 'fees'],
];
const CONCEPT_AXES = CONCEPTS.length;
const HASH_AXES = 24;
export const STUB_EMBEDDING_DIMENSIONS = CONCEPT_AXES + HASH_AXES;

/** The stand-in's vector for a text: concept axes weigh 3, any other word a hashed axis 1. */
export function stubEmbedding(text: string): number[] {
  const vector = new Array<number>(STUB_EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const concept = CONCEPTS.findIndex((words) => words.includes(word));
    if (concept >= 0) vector[concept]! += 3;
    else vector[CONCEPT_AXES + (hash(word) % HASH_AXES)]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

function hash(word: string): number {
  let value = 2166136261;
  for (const char of word) value = Math.imul(value ^ char.charCodeAt(0), 16777619) >>> 0;
  return value;
}

export interface EmbeddingsStubServer {
  /** The OpenAI-compatible base URL, e.g. `http://127.0.0.1:41234/v1`. */
  baseUrl: string;
  /** The `input` of every embeddings request, in order. */
  inputs: string[][];
  /** Makes the next requests fail with this HTTP status (null: answer again). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

/** `POST /v1/embeddings` as OpenAI documents it, answering with `stubEmbedding` vectors. */
export async function startEmbeddingsStubServer(): Promise<EmbeddingsStubServer> {
  const inputs: string[][] = [];
  let failure: number | null = null;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method !== 'POST' || !request.url?.endsWith('/embeddings')) {
        send(404, { error: { message: 'not found', type: 'invalid_request_error' } });
        return;
      }
      if (failure !== null) {
        send(failure, { error: { message: 'stand-in failure', type: 'server_error' } });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        input: string | string[];
        model: string;
      };
      const texts = Array.isArray(body.input) ? body.input : [body.input];
      inputs.push(texts);
      const tokens = texts.reduce((sum, text) => sum + text.split(/\s+/).length, 0);
      send(200, {
        object: 'list',
        model: body.model,
        data: texts.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: stubEmbedding(text),
        })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    inputs,
    failWith(status) {
      failure = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
