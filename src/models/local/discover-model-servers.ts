/** A model server Parley knows how to find on this machine. */
export interface KnownServer {
  /** `openai-compatible`: an address the operator listed, of no particular kind. */
  kind: 'ollama' | 'lm-studio' | 'llama.cpp' | 'vllm' | 'openai-compatible';
  /** The OpenAI-compatible base URL to configure. */
  baseUrl: string;
}

/** The usual ports: Ollama 11434, LM Studio 1234, llama.cpp's server 8080, vLLM 8000. */
export const USUAL_SERVERS: readonly KnownServer[] = [
  { kind: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { kind: 'lm-studio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { kind: 'llama.cpp', baseUrl: 'http://127.0.0.1:8080/v1' },
  { kind: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' },
];

/** The usual ports, then the servers the operator listed (`PARLEY_MODEL_SERVERS`). */
export function serverCandidates(listed: readonly string[]): KnownServer[] {
  const known = new Set(USUAL_SERVERS.map((server) => server.baseUrl));
  return [
    ...USUAL_SERVERS,
    ...listed
      .filter((baseUrl) => !known.has(baseUrl))
      .map((baseUrl): KnownServer => ({ kind: 'openai-compatible', baseUrl })),
  ];
}

export interface DiscoveredServer extends KnownServer {
  models: string[];
}

/**
 * Asks each candidate for its models (`GET /v1/models`, which all four serve) and returns those
 * that answer like an OpenAI-compatible server. Quiet about the rest: nothing listening is normal.
 */
export async function discoverModelServers(
  candidates: readonly KnownServer[] = USUAL_SERVERS,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<DiscoveredServer[]> {
  const fetchImplementation = options.fetch ?? fetch;
  const found = await Promise.all(
    candidates.map(async (candidate): Promise<DiscoveredServer | null> => {
      try {
        const response = await fetchImplementation(`${candidate.baseUrl}/models`, {
          signal: AbortSignal.timeout(options.timeoutMs ?? 800),
        });
        if (!response.ok) return null;
        const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
        if (!Array.isArray(body.data)) return null;
        const models = body.data.flatMap((entry) =>
          typeof entry.id === 'string' ? [entry.id] : [],
        );
        return { ...candidate, models };
      } catch {
        return null;
      }
    }),
  );
  return found.filter((server): server is DiscoveredServer => server !== null);
}
