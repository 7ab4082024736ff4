import type { S3BlobSettings } from '../core/blob-store.js';
import { ParleyError } from '../core/errors.js';
import { readS3BlobSettings } from './blob-storage-settings.js';
import type { BusinessConfig, ModelSettings } from './business-config.js';
import { DEFAULT_MODEL_TIMEOUT_MS } from './business-config.js';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_META_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_META_INSTAGRAM_GRAPH_URL = 'https://graph.instagram.com';
export const DEFAULT_META_GRAPH_VERSION = 'v24.0';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How this Parley process runs, from its environment. Read once, at startup, and passed down. */
export interface ServerSettings {
  /** `PORT`, default 3000; 0 picks any free port. */
  port: number;
  /** `HOST`, default `127.0.0.1` (this machine only); `0.0.0.0` in a container. */
  host: string;
  /** `DATABASE_URL`: PostgreSQL server; null means embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  /** `PARLEY_DATA_DIR`, default `./.parley`: the embedded database and other local state. */
  dataDir: string;
  /** `PARLEY_CONFIG`: the business YAML file; null means the demo business. */
  configPath: string | null;
  /** `PARLEY_MODEL_BASE_URL`, `PARLEY_MODEL`, `PARLEY_MODEL_API_KEY`: see `applyModelOverrides`. */
  modelOverrides: { baseUrl: string | null; name: string | null; apiKey: string | null };
  /** `PARLEY_PUBLIC_URL`: where people reach Parley, without a trailing slash. */
  publicUrl: string;
  /** `LOG_LEVEL`, default `info`. */
  logLevel: LogLevel;
  /** `PARLEY_TRUST_PROXY`: believe `X-Forwarded-*` headers (only behind a reverse proxy). */
  trustProxy: boolean;
  /** `PARLEY_DEMO_PASSWORD`: the demo owner's password, instead of a generated one. */
  demoPassword: string | null;
  /**
   * Meta's Graph API: `META_GRAPH_URL` (default https://graph.facebook.com),
   * `META_INSTAGRAM_GRAPH_URL` (default https://graph.instagram.com, for Instagram Login) and
   * `META_GRAPH_VERSION` (default v24.0). A stand-in can take Meta's place in tests and demos.
   */
  meta: { graphUrl: string; instagramGraphUrl: string; graphVersion: string };
  /**
   * Speech to text for voice notes: `PARLEY_TRANSCRIPTION_URL` (an OpenAI-compatible base URL
   * serving `/audio/transcriptions`, such as whisper.cpp's server), `PARLEY_TRANSCRIPTION_MODEL`
   * (default whisper-1), `PARLEY_TRANSCRIPTION_API_KEY`. Null: voice notes are not transcribed.
   */
  transcription: { baseUrl: string; model: string; apiKey: string | null } | null;
  /**
   * Where the console may download local models from: `PARLEY_MODEL_HUB_URL` (where `hf:` names
   * resolve; default Hugging Face) and `PARLEY_MODEL_DOWNLOAD_HOSTS` (comma-separated hosts, such
   * as `models.example.com` or `10.0.0.5:8080`, that https URLs may come from, and which may be
   * private addresses). Both are trusted as named; every other host must be public.
   */
  modelDownloads: { hubUrl: string | null; allowedHosts: string[] };
  /**
   * `PARLEY_MODEL_SERVERS`: comma-separated OpenAI-compatible base URLs to look for models at, as
   * well as the usual local ports (Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000), such
   * as `http://ollama:11434/v1` in a compose file.
   */
  modelServers: string[];
  /** `PARLEY_BLOB_DIR`, default `<data dir>/blobs`: downloaded customer media. */
  blobDir: string;
  /** `PARLEY_BLOB_S3_*`: customer media in an S3-compatible bucket instead (null: the folder). */
  blobS3: S3BlobSettings | null;
  /**
   * `PARLEY_SIMULATOR`: the console's channel simulator. A local stand-in takes the Graph API's
   * place for every channel (nothing reaches Meta), and the owner can write as a WhatsApp,
   * Messenger or Instagram customer. For trying Parley out; never in production.
   */
  simulator: boolean;
}

/**
 * Reads and validates Parley's environment variables. All problems are reported together in one
 * `ParleyError('config_invalid')`, each naming the variable and how to fix it. Empty values count as
 * unset, as `.env` files and compose files often leave them.
 */
export function readServerSettings(env: Env = process.env): ServerSettings {
  const problems: Array<{ path: string; message: string }> = [];
  const value = (name: string): string | null => {
    const setting = env[name]?.trim();
    return setting === undefined || setting === '' ? null : setting;
  };
  const problem = (name: string, message: string): void => {
    problems.push({ path: name, message });
  };

  const port = readPort(value('PORT'), (message) => problem('PORT', message));

  const host = value('HOST') ?? '127.0.0.1';
  if (/[/\s]/.test(host)) {
    problem(
      'HOST',
      `${JSON.stringify(host)} is not an address to listen on. Use an IP address or host name: 127.0.0.1 for this machine only, 0.0.0.0 for every interface (in a container).`,
    );
  }

  const databaseUrl = value('DATABASE_URL');
  // Only the scheme is checked: `postgres:///db?host=/run/postgresql` (a socket) has no host.
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    // The URL may hold a password: never echo it.
    problem(
      'DATABASE_URL',
      'is not a PostgreSQL URL. Set it like postgres://user:password@host:5432/database, or unset it to use the embedded database.',
    );
  }

  const modelBaseUrl = value('PARLEY_MODEL_BASE_URL');
  if (modelBaseUrl !== null && !hasProtocol(modelBaseUrl, ['http:', 'https:'])) {
    problem(
      'PARLEY_MODEL_BASE_URL',
      `${JSON.stringify(modelBaseUrl)} is not an http(s) URL. Set it to the OpenAI-compatible endpoint, such as http://localhost:11434/v1.`,
    );
  }

  const defaultPublicUrl = `http://localhost:${port}`;
  const publicUrl = value('PARLEY_PUBLIC_URL');
  if (publicUrl !== null && !hasProtocol(publicUrl, ['http:', 'https:'])) {
    problem(
      'PARLEY_PUBLIC_URL',
      `${JSON.stringify(publicUrl)} is not an http(s) URL. Set it to the address people reach Parley at, such as https://chat.example.com.`,
    );
  }

  const logLevelText = value('LOG_LEVEL')?.toLowerCase() ?? 'info';
  const logLevel = LOG_LEVELS.find((level) => level === logLevelText);
  if (logLevel === undefined) {
    problem(
      'LOG_LEVEL',
      `${JSON.stringify(logLevelText)} is not a log level. Use one of: ${LOG_LEVELS.join(', ')}.`,
    );
  }

  const graphUrl = value('META_GRAPH_URL') ?? DEFAULT_META_GRAPH_URL;
  const instagramGraphUrl = value('META_INSTAGRAM_GRAPH_URL') ?? DEFAULT_META_INSTAGRAM_GRAPH_URL;
  for (const [name, url] of [
    ['META_GRAPH_URL', graphUrl],
    ['META_INSTAGRAM_GRAPH_URL', instagramGraphUrl],
  ] as const) {
    if (!hasProtocol(url, ['http:', 'https:'])) {
      problem(
        name,
        `${JSON.stringify(url)} is not an http(s) URL. Unset it to use Meta's, or point it at a stand-in such as http://127.0.0.1:4010.`,
      );
    }
  }
  const graphVersion = value('META_GRAPH_VERSION') ?? DEFAULT_META_GRAPH_VERSION;
  if (!/^v\d+\.\d+$/.test(graphVersion)) {
    problem(
      'META_GRAPH_VERSION',
      `${JSON.stringify(graphVersion)} is not a Graph API version. Write it as Meta does, such as ${DEFAULT_META_GRAPH_VERSION}.`,
    );
  }

  const transcriptionUrl = value('PARLEY_TRANSCRIPTION_URL');
  if (transcriptionUrl !== null && !hasProtocol(transcriptionUrl, ['http:', 'https:'])) {
    problem(
      'PARLEY_TRANSCRIPTION_URL',
      `${JSON.stringify(transcriptionUrl)} is not an http(s) URL. Set it to an OpenAI-compatible speech-to-text endpoint, such as http://localhost:8080/v1, or unset it.`,
    );
  }

  const modelHubUrl = value('PARLEY_MODEL_HUB_URL');
  if (modelHubUrl !== null && !hasProtocol(modelHubUrl, ['http:', 'https:'])) {
    problem(
      'PARLEY_MODEL_HUB_URL',
      `${JSON.stringify(modelHubUrl)} is not an http(s) URL. Set it to a Hugging Face mirror such as https://hf-mirror.example.com, or unset it to use https://huggingface.co.`,
    );
  }
  const downloadHosts = (value('PARLEY_MODEL_DOWNLOAD_HOSTS') ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
  for (const host of downloadHosts) {
    if (!/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)) {
      problem(
        'PARLEY_MODEL_DOWNLOAD_HOSTS',
        `${JSON.stringify(host)} is not a host name. List hosts separated by commas, such as models.example.com, *.example.com or 10.0.0.5:8080 (no https://, no path).`,
      );
    }
  }

  const blobS3 = readS3BlobSettings(value, problem);

  const modelServers = (value('PARLEY_MODEL_SERVERS') ?? '')
    .split(',')
    .map((url) => url.trim().replace(/\/+$/, ''))
    .filter((url) => url !== '');
  for (const url of modelServers) {
    if (!hasProtocol(url, ['http:', 'https:'])) {
      problem(
        'PARLEY_MODEL_SERVERS',
        `${JSON.stringify(url)} is not an http(s) URL. List OpenAI-compatible base URLs separated by commas, such as http://ollama:11434/v1.`,
      );
    }
  }

  const simulator = readBoolean(value('PARLEY_SIMULATOR'), false, (message) =>
    problem('PARLEY_SIMULATOR', message),
  );

  const trustProxy = readBoolean(value('PARLEY_TRUST_PROXY'), false, (message) =>
    problem('PARLEY_TRUST_PROXY', message),
  );

  if (problems.length > 0) {
    const lines = problems.map(({ path, message }) => `${path}: ${message}`);
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    throw new ParleyError(
      'config_invalid',
      [`Parley's environment settings have ${count}:`, ...lines].join('\n'),
      { issues: problems },
    );
  }

  return {
    port,
    host,
    databaseUrl,
    dataDir: value('PARLEY_DATA_DIR') ?? './.parley',
    configPath: value('PARLEY_CONFIG'),
    modelOverrides: {
      baseUrl: modelBaseUrl,
      name: value('PARLEY_MODEL'),
      apiKey: value('PARLEY_MODEL_API_KEY'),
    },
    publicUrl: (publicUrl ?? defaultPublicUrl).replace(/\/+$/, ''),
    logLevel: logLevel ?? 'info',
    trustProxy,
    demoPassword: value('PARLEY_DEMO_PASSWORD'),
    meta: {
      graphUrl: graphUrl.replace(/\/+$/, ''),
      instagramGraphUrl: instagramGraphUrl.replace(/\/+$/, ''),
      graphVersion,
    },
    transcription:
      transcriptionUrl === null
        ? null
        : {
            baseUrl: transcriptionUrl.replace(/\/+$/, ''),
            model: value('PARLEY_TRANSCRIPTION_MODEL') ?? 'whisper-1',
            apiKey: value('PARLEY_TRANSCRIPTION_API_KEY'),
          },
    modelDownloads: {
      hubUrl: modelHubUrl === null ? null : modelHubUrl.replace(/\/+$/, ''),
      allowedHosts: downloadHosts,
    },
    modelServers,
    blobDir: value('PARLEY_BLOB_DIR') ?? `${value('PARLEY_DATA_DIR') ?? './.parley'}/blobs`,
    blobS3,
    simulator,
  };
}

/**
 * The model Parley should use: the business file's `model` section with the environment's
 * overrides on top, or null for menu mode. A base URL and a model name from the environment
 * enable a model even when the file has none.
 */
export function applyModelOverrides(
  config: Pick<BusinessConfig, 'model'>,
  settings: Pick<ServerSettings, 'modelOverrides'>,
): ModelSettings | null {
  const file = config.model;
  const overrides = settings.modelOverrides;
  const baseUrl = overrides.baseUrl ?? file?.baseUrl ?? null;
  const name = overrides.name ?? file?.name ?? null;
  if (baseUrl === null && name === null) return null;
  if (baseUrl === null) {
    throw new ParleyError(
      'config_invalid',
      'PARLEY_MODEL is set but no model endpoint is. Set PARLEY_MODEL_BASE_URL too (such as http://localhost:11434/v1), or add a model section to the business file.',
    );
  }
  if (name === null) {
    throw new ParleyError(
      'config_invalid',
      'PARLEY_MODEL_BASE_URL is set but no model name is. Set PARLEY_MODEL too (such as qwen2.5:7b-instruct), or add a model section to the business file.',
    );
  }
  // The file's key belongs to the file's endpoint: never send it to another server.
  const sameServer = file !== null && new URL(file.baseUrl).origin === new URL(baseUrl).origin;
  const apiKey = overrides.apiKey ?? (sameServer ? file.apiKey : null);
  return {
    baseUrl,
    name,
    apiKey,
    timeoutMs: file?.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
  };
}

function readPort(text: string | null, report: (message: string) => void): number {
  if (text === null) return 3000;
  const port = Number(text);
  // 0 asks the operating system for any free port (tests and benchmarks use it).
  if (!/^\d+$/.test(text) || port > 65535) {
    report(
      `${JSON.stringify(text)} is not a port number. Set PORT to a whole number from 1 to 65535, such as 3000 (0 picks any free port).`,
    );
    return 3000;
  }
  return port;
}

function readBoolean(
  text: string | null,
  fallback: boolean,
  report: (message: string) => void,
): boolean {
  if (text === null) return fallback;
  const normalised = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  report(`${JSON.stringify(text)} is not true or false. Set it to true or false.`);
  return fallback;
}

function hasProtocol(text: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(text);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}
