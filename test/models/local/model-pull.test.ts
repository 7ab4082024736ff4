import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadModel } from '../../../src/models/local/download-model.js';
import { ModelLibrary } from '../../../src/models/local/model-library.js';
import { resolveModelSource } from '../../../src/models/local/model-sources.js';
import { buildTinyGguf } from '../../support/gguf-writer.js';
import { startModelFileServer, type ModelFileServer } from '../support/model-file-server.js';

const run = promisify(execFile);

describe('model pull: download with progress, resume and verification', () => {
  const file = buildTinyGguf(3);
  let server: ModelFileServer;
  let folder: string;
  beforeAll(async () => {
    server = await startModelFileServer(file);
  });
  afterAll(() => server.close());

  it('resolves recommended names, hf: URIs and URLs', () => {
    expect(resolveModelSource('hf:acme/tiny-GGUF/sub/tiny-q4.gguf', 'http://hub.test')).toEqual({
      name: 'tiny-q4',
      url: 'http://hub.test/acme/tiny-GGUF/resolve/main/sub/tiny-q4.gguf',
      fileName: 'tiny-q4.gguf',
    });
    expect(resolveModelSource('qwen2.5-0.5b-instruct').url).toBe(
      'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    );
    expect(() => resolveModelSource('hf:nope')).toThrow(/hf:<owner>\/<repo>\/<file>.gguf/);
  });

  it('resumes an interrupted download with a Range request and verifies the SHA-256', async () => {
    folder = await mkdtemp(join(tmpdir(), 'parley-pull-'));
    const destination = join(folder, 'tiny.gguf');
    server.cutAfter = 100_000;
    await expect(downloadModel({ url: `${server.url}/tiny.gguf`, destination })).rejects.toThrow();
    const partial = (await stat(`${destination}.part`)).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(file.length);

    const progress: number[] = [];
    const result = await downloadModel({
      url: `${server.url}/tiny.gguf`,
      destination,
      onProgress: (update) => progress.push(update.receivedBytes),
    });
    expect(server.ranges.at(-1)).toBe(`bytes=${partial}-`);
    expect(progress[0]).toBeGreaterThan(partial);
    expect(progress.at(-1)).toBe(file.length);
    expect(result).toEqual({ path: destination, size: file.length, sha256: server.sha256 });
    expect((await readFile(destination)).equals(file)).toBe(true);
  });

  it('deletes a file whose hash does not match, and one that is not a GGUF', async () => {
    const destination = join(folder, 'bad.gguf');
    await expect(
      downloadModel({ url: `${server.url}/tiny.gguf`, destination, sha256: '0'.repeat(64) }),
    ).rejects.toThrow(/SHA-256/);
    await expect(stat(`${destination}.part`)).rejects.toThrow();
    const text = await startModelFileServer(Buffer.from('<html>not a model</html>'), {
      sendHash: false,
    });
    await expect(downloadModel({ url: `${text.url}/x.gguf`, destination })).rejects.toThrow(
      /not a GGUF/,
    );
    await text.close();
  });

  it('parley model pull and list, end to end over the CLI', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-pull-'));
    const env = { ...process.env, PARLEY_DATA_DIR: dataDir, PARLEY_MODEL_HUB_URL: server.url };
    const pulled = await run(
      'node',
      ['bin/parley.js', 'model', 'pull', 'hf:acme/tiny-GGUF/tiny.gguf'],
      { env },
    );
    expect(pulled.stderr).toContain('100%');
    expect(pulled.stdout).toContain(`sha256 ${server.sha256}`);
    const listed = await run('node', ['bin/parley.js', 'model', 'list'], { env });
    expect(listed.stdout).toMatch(/^tiny\t0\.5 MB\ttiny\.gguf\t/);
    const library = new ModelLibrary(join(dataDir, 'models'));
    expect(await library.pathOf('tiny')).toBe(join(dataDir, 'models', 'tiny.gguf'));
  });
});
