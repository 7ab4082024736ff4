import { join } from 'node:path';
import { checkDownloadHost, createPolicyFetch, type DownloadPolicy } from './download-policy.js';
import { downloadModel } from './download-model.js';
import { USUAL_SERVERS, type KnownServer } from './discover-model-servers.js';
import type { ModelLibrary } from './model-library.js';
import { resolveModelSource } from './model-sources.js';

/** One download as the console shows it. */
export interface PullState {
  name: string;
  source: string;
  status: 'downloading' | 'done' | 'failed';
  receivedBytes: number;
  totalBytes: number | null;
  error: string | null;
}

/**
 * Downloads started from the console run in the background of the server process; their progress
 * is polled. One download per model name at a time; a failed one resumes when started again.
 * Only sources the download policy allows are fetched (see `download-policy.ts`).
 */
export class ModelPuller {
  readonly #states = new Map<string, PullState>();
  readonly #fetch: typeof fetch;

  constructor(
    readonly library: ModelLibrary,
    private readonly options: {
      policy: DownloadPolicy;
      fetch?: typeof fetch;
      now?: () => Date;
      /** Where to look for model servers on this machine; default their usual ports. */
      servers?: readonly KnownServer[];
    },
  ) {
    this.#fetch = options.fetch ?? createPolicyFetch(options.policy);
  }

  /** The model servers to look for on this machine (Ollama, LM Studio, llama.cpp, vLLM). */
  get serverCandidates(): readonly KnownServer[] {
    return this.options.servers ?? USUAL_SERVERS;
  }

  /** Where `hf:` names are downloaded from. */
  get hubUrl(): string {
    return this.options.policy.hubUrl;
  }

  /**
   * Starts pulling `source` (or returns the download already running for it). Throws a
   * `validation_failed` error, before anything is fetched, for a source the policy refuses.
   */
  async start(source: string): Promise<PullState> {
    const resolved = resolveModelSource(source, this.options.policy.hubUrl);
    const running = this.#states.get(resolved.name);
    if (running?.status === 'downloading') return { ...running };
    await checkDownloadHost(resolved.url, this.options.policy);
    const state: PullState = {
      name: resolved.name,
      source,
      status: 'downloading',
      receivedBytes: 0,
      totalBytes: null,
      error: null,
    };
    this.#states.set(resolved.name, state);
    void downloadModel({
      url: resolved.url,
      destination: join(this.library.folder, resolved.fileName),
      fetch: this.#fetch,
      onProgress: (progress) => {
        state.receivedBytes = progress.receivedBytes;
        state.totalBytes = progress.totalBytes;
      },
    })
      .then(async (result) => {
        await this.library.record({
          name: resolved.name,
          file: resolved.fileName,
          source,
          size: result.size,
          sha256: result.sha256,
          pulledAt: (this.options.now?.() ?? new Date()).toISOString(),
        });
        state.status = 'done';
      })
      .catch((error: unknown) => {
        state.status = 'failed';
        state.error = error instanceof Error ? error.message : String(error);
      });
    return { ...state };
  }

  /** Every download started since the server started, newest last. */
  status(): PullState[] {
    return [...this.#states.values()].map((state) => ({ ...state }));
  }
}
