import { ParleyError } from '../../core/errors.js';

/** Small instruct models that run on a CPU-only machine, by the name `parley model pull` takes. */
export const RECOMMENDED_MODELS: Readonly<Record<string, { uri: string; note: string }>> = {
  'qwen2.5-0.5b-instruct': {
    uri: 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    note: 'about 400 MB; Apache-2.0; fast on any CPU, basic answers',
  },
  'qwen2.5-1.5b-instruct': {
    uri: 'hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    note: 'about 1 GB; Apache-2.0; better answers and tool calls',
  },
  'llama-3.2-1b-instruct': {
    uri: 'hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    note: 'about 800 MB; Llama 3.2 Community License (attribution, 700M MAU limit)',
  },
};

export interface ModelSource {
  /** The name it is recorded under: the recommended name, or the file name. */
  name: string;
  url: string;
  fileName: string;
}

/**
 * Where to download a model from: a recommended name, `hf:<owner>/<repo>/<path to .gguf>` (a file
 * in a Hugging Face repository, main branch) or a plain https URL. `hubUrl` is injectable.
 */
export function resolveModelSource(source: string, hubUrl = 'https://huggingface.co'): ModelSource {
  const recommended = RECOMMENDED_MODELS[source];
  if (recommended) return { ...resolveModelSource(recommended.uri, hubUrl), name: source };
  if (source.startsWith('hf:')) {
    const match = /^hf:([^/\s]+)\/([^/\s]+)\/(\S+\.gguf)$/i.exec(source);
    if (!match || source.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new ParleyError(
        'validation_failed',
        `${source} is not a Hugging Face file. Write hf:<owner>/<repo>/<file>.gguf, such as ${RECOMMENDED_MODELS['qwen2.5-0.5b-instruct']!.uri}.`,
      );
    }
    const [, owner, repo, path] = match as unknown as [string, string, string, string];
    const fileName = path.split('/').at(-1)!;
    return {
      name: fileName.replace(/\.gguf$/i, ''),
      url: `${hubUrl.replace(/\/+$/, '')}/${owner}/${repo}/resolve/main/${path}`,
      fileName,
    };
  }
  if (/^https?:\/\/\S+\.gguf(\?\S*)?$/i.test(source)) {
    const fileName = new URL(source).pathname.split('/').at(-1)!;
    return { name: fileName.replace(/\.gguf$/i, ''), url: source, fileName };
  }
  throw new ParleyError(
    'validation_failed',
    `${JSON.stringify(source)} is not a model Parley can pull. Use one of ${Object.keys(RECOMMENDED_MODELS).join(', ')}, an hf:<owner>/<repo>/<file>.gguf, or an https URL of a .gguf file.`,
  );
}
