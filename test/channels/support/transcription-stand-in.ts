import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible `POST /v1/audio/transcriptions` (multipart) that answers a fixed text and
 * records what it received, as whisper.cpp's server would.
 */
export async function startTranscriptionStandIn(text: string) {
  const received: Array<{ bytes: number; body: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.url !== '/v1/audio/transcriptions' || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      received.push({ bytes: body.byteLength, body: body.toString('latin1') });
      response.writeHead(200, { 'content-type': 'application/json' });
      // Asked for verbose JSON (a model billed by the minute), it says how long the audio was.
      const verbose = body.toString('latin1').includes('verbose_json');
      response.end(JSON.stringify({ text, ...(verbose ? { duration: 3 } : {}) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
