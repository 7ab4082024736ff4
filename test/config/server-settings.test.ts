import { describe, expect, it } from 'vitest';
import type { ModelSettings } from '../../src/config/business-config.js';
import { applyModelOverrides, readServerSettings } from '../../src/config/server-settings.js';
import { configError } from './config-errors.js';

describe('readServerSettings', () => {
  it('has working defaults for an empty environment', () => {
    expect(readServerSettings({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: './.parley',
      configPath: null,
      modelOverrides: { baseUrl: null, name: null, apiKey: null },
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      trustProxy: false,
      demoPassword: null,
      meta: {
        graphUrl: 'https://graph.facebook.com',
        instagramGraphUrl: 'https://graph.instagram.com',
        graphVersion: 'v24.0',
      },
      transcription: null,
      modelDownloads: { hubUrl: null, allowedHosts: [] },
      modelServers: [],
      blobDir: './.parley/blobs',
      blobS3: null,
      simulator: false,
    });
  });

  it('reads every variable', () => {
    expect(
      readServerSettings({
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgresql://parley:secret@db:5432/parley',
        PARLEY_DATA_DIR: '/var/lib/parley',
        PARLEY_CONFIG: 'business.yaml',
        PARLEY_MODEL_BASE_URL: 'http://vllm:8000/v1',
        PARLEY_MODEL: 'Qwen/Qwen2.5-7B-Instruct',
        PARLEY_MODEL_API_KEY: 'token',
        PARLEY_PUBLIC_URL: 'https://chat.bakery.example/',
        LOG_LEVEL: 'DEBUG',
        PARLEY_TRUST_PROXY: 'yes',
        PARLEY_DEMO_PASSWORD: 'let-me-in',
        META_GRAPH_URL: 'http://127.0.0.1:4010/',
        META_INSTAGRAM_GRAPH_URL: 'http://127.0.0.1:4011',
        META_GRAPH_VERSION: 'v25.0',
        PARLEY_TRANSCRIPTION_URL: 'http://whisper:8080/v1/',
        PARLEY_TRANSCRIPTION_MODEL: 'ggml-base.en',
        PARLEY_TRANSCRIPTION_API_KEY: 'whisper-key',
        PARLEY_MODEL_HUB_URL: 'https://hf-mirror.example/',
        PARLEY_MODEL_DOWNLOAD_HOSTS: 'models.example.com, 10.0.0.5:8080',
        PARLEY_MODEL_SERVERS: 'http://ollama:11434/v1/,http://vllm:8000/v1',
        PARLEY_BLOB_DIR: '/srv/parley-media',
        PARLEY_BLOB_S3_ENDPOINT: 'http://minio:9000/',
        PARLEY_BLOB_S3_BUCKET: 'parley-media',
        PARLEY_BLOB_S3_REGION: 'eu-west-1',
        PARLEY_BLOB_S3_ACCESS_KEY_ID: 'AKIAPARLEY',
        PARLEY_BLOB_S3_SECRET_ACCESS_KEY: 's3-secret',
        PARLEY_SIMULATOR: 'on',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://parley:secret@db:5432/parley',
      dataDir: '/var/lib/parley',
      configPath: 'business.yaml',
      modelOverrides: {
        baseUrl: 'http://vllm:8000/v1',
        name: 'Qwen/Qwen2.5-7B-Instruct',
        apiKey: 'token',
      },
      publicUrl: 'https://chat.bakery.example',
      logLevel: 'debug',
      trustProxy: true,
      demoPassword: 'let-me-in',
      meta: {
        graphUrl: 'http://127.0.0.1:4010',
        instagramGraphUrl: 'http://127.0.0.1:4011',
        graphVersion: 'v25.0',
      },
      transcription: {
        baseUrl: 'http://whisper:8080/v1',
        model: 'ggml-base.en',
        apiKey: 'whisper-key',
      },
      modelDownloads: {
        hubUrl: 'https://hf-mirror.example',
        allowedHosts: ['models.example.com', '10.0.0.5:8080'],
      },
      modelServers: ['http://ollama:11434/v1', 'http://vllm:8000/v1'],
      blobDir: '/srv/parley-media',
      blobS3: {
        endpoint: 'http://minio:9000',
        bucket: 'parley-media',
        region: 'eu-west-1',
        accessKeyId: 'AKIAPARLEY',
        secretAccessKey: 's3-secret',
      },
      simulator: true,
    });
  });

  it('reports a Graph API URL or version it cannot use, and a transcription URL that is not http', async () => {
    const { issues } = await configError(() =>
      readServerSettings({
        META_GRAPH_URL: 'graph.facebook.com',
        META_GRAPH_VERSION: '24',
        PARLEY_TRANSCRIPTION_URL: 'whisper:8080',
      }),
    );
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      [
        'META_GRAPH_URL',
        '"graph.facebook.com" is not an http(s) URL. Unset it to use Meta\'s, or point it at a stand-in such as http://127.0.0.1:4010.',
      ],
      [
        'META_GRAPH_VERSION',
        '"24" is not a Graph API version. Write it as Meta does, such as v24.0.',
      ],
      [
        'PARLEY_TRANSCRIPTION_URL',
        '"whisper:8080" is not an http(s) URL. Set it to an OpenAI-compatible speech-to-text endpoint, such as http://localhost:8080/v1, or unset it.',
      ],
    ]);
  });

  it('defaults the public URL to the port, and treats empty values as unset', () => {
    const settings = readServerSettings({ PORT: '4000', HOST: '', PARLEY_TRUST_PROXY: '' });
    expect(settings.publicUrl).toBe('http://localhost:4000');
    expect(settings.host).toBe('127.0.0.1');
    expect(settings.trustProxy).toBe(false);
  });

  it('reports every invalid variable with its fix, without echoing the database URL', async () => {
    const { error } = await configError(() =>
      readServerSettings({
        PORT: '70000',
        DATABASE_URL: 'mysql://root:hunter2@db/shop',
        PARLEY_MODEL_BASE_URL: 'localhost:11434',
        PARLEY_PUBLIC_URL: 'chat.example.com',
        LOG_LEVEL: 'verbose',
        PARLEY_TRUST_PROXY: 'maybe',
      }),
    );
    expect(error.message.split('\n')).toEqual([
      "Parley's environment settings have 6 problems:",
      'PORT: "70000" is not a port number. Set PORT to a whole number from 1 to 65535, such as 3000 (0 picks any free port).',
      'DATABASE_URL: is not a PostgreSQL URL. Set it like postgres://user:password@host:5432/database, or unset it to use the embedded database.',
      'PARLEY_MODEL_BASE_URL: "localhost:11434" is not an http(s) URL. Set it to the OpenAI-compatible endpoint, such as http://localhost:11434/v1.',
      'PARLEY_PUBLIC_URL: "chat.example.com" is not an http(s) URL. Set it to the address people reach Parley at, such as https://chat.example.com.',
      'LOG_LEVEL: "verbose" is not a log level. Use one of: fatal, error, warn, info, debug, trace, silent.',
      'PARLEY_TRUST_PROXY: "maybe" is not true or false. Set it to true or false.',
    ]);
    expect(error.message).not.toContain('hunter2');
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'PORT',
      'DATABASE_URL',
      'PARLEY_MODEL_BASE_URL',
      'PARLEY_PUBLIC_URL',
      'LOG_LEVEL',
      'PARLEY_TRUST_PROXY',
    ]);
  });

  it('rejects ports that are not whole numbers in range', async () => {
    for (const port of ['65536', '-1', '80.5', 'http']) {
      const { issues } = await configError(() => readServerSettings({ PORT: port }));
      expect(issues).toMatchObject([{ path: 'PORT' }]);
    }
  });

  it('accepts PORT=0, which asks the operating system for any free port', () => {
    expect(readServerSettings({ PORT: '0' }).port).toBe(0);
  });
});

describe('applyModelOverrides', () => {
  const fileModel: ModelSettings = {
    baseUrl: 'https://api.openai.example/v1',
    name: 'gpt-small',
    apiKey: 'sk-file',
    timeoutMs: 45000,
  };
  const overrides = (values: Record<string, string>) => readServerSettings(values);

  it('is null (menu mode) when neither the file nor the environment names a model', () => {
    expect(applyModelOverrides({ model: null }, overrides({}))).toBeNull();
    expect(
      applyModelOverrides({ model: null }, overrides({ PARLEY_MODEL_API_KEY: 'key' })),
    ).toBeNull();
  });

  it("returns the file's model when nothing overrides it", () => {
    expect(applyModelOverrides({ model: fileModel }, overrides({}))).toEqual(fileModel);
  });

  it('enables a model from the environment alone', () => {
    expect(
      applyModelOverrides(
        { model: null },
        overrides({ PARLEY_MODEL_BASE_URL: 'http://localhost:11434/v1', PARLEY_MODEL: 'qwen' }),
      ),
    ).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      name: 'qwen',
      apiKey: null,
      timeoutMs: 30000,
    });
  });

  it('overrides single fields and keeps the rest of the file', () => {
    expect(
      applyModelOverrides(
        { model: fileModel },
        overrides({ PARLEY_MODEL: 'gpt-large', PARLEY_MODEL_API_KEY: 'sk-env' }),
      ),
    ).toEqual({ ...fileModel, name: 'gpt-large', apiKey: 'sk-env' });
  });

  it("never sends the file's API key to a different server", () => {
    expect(
      applyModelOverrides(
        { model: fileModel },
        overrides({ PARLEY_MODEL_BASE_URL: 'http://localhost:11434/v1' }),
      ),
    ).toEqual({ ...fileModel, baseUrl: 'http://localhost:11434/v1', apiKey: null });
    expect(
      applyModelOverrides(
        { model: fileModel },
        overrides({ PARLEY_MODEL_BASE_URL: 'https://api.openai.example/v2' }),
      )?.apiKey,
    ).toBe('sk-file');
  });

  it('says what is missing when only half a model is configured', async () => {
    const nameOnly = await configError(() =>
      applyModelOverrides({ model: null }, overrides({ PARLEY_MODEL: 'qwen' })),
    );
    expect(nameOnly.error.message).toMatch(
      /^PARLEY_MODEL is set but no model endpoint is\. Set PARLEY_MODEL_BASE_URL/,
    );
    const urlOnly = await configError(() =>
      applyModelOverrides(
        { model: null },
        overrides({ PARLEY_MODEL_BASE_URL: 'http://localhost:11434/v1' }),
      ),
    );
    expect(urlOnly.error.message).toMatch(
      /^PARLEY_MODEL_BASE_URL is set but no model name is\. Set PARLEY_MODEL/,
    );
  });
});
