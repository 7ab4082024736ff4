import { ParleyError } from '../core/errors.js';
import type { ModelEntry } from '../core/model-settings.js';

export interface TranscriptionResult {
  text: string;
  /** Reported by token-priced models (gpt-4o-transcribe); null when the server does not say. */
  inputTokens: number | null;
  outputTokens: number | null;
  /** Seconds of audio, when the server says (`usage.seconds`, or `duration` in verbose JSON). */
  audioSeconds: number | null;
}

/**
 * Speech to text over an OpenAI-compatible `POST <base>/audio/transcriptions` (multipart: `file`,
 * `model`), as OpenAI, whisper.cpp's server, vLLM and other hosted APIs offer. Answers `{ text }`,
 * with `usage` from models billed by the token. `verbose_json` (asked for when the model is
 * billed by the minute) adds the audio's `duration`; whisper-1 and whisper.cpp's server answer it,
 * the gpt-4o transcribe models do not (they are billed by the token).
 */
export async function requestTranscription(
  entry: Pick<ModelEntry, 'id' | 'provider' | 'model' | 'baseUrl' | 'apiKey'>,
  input: { bytes: Uint8Array; mimeType: string | null; filename: string },
  options: { fetch?: typeof fetch | undefined; signal: AbortSignal; verbose?: boolean },
): Promise<TranscriptionResult> {
  const baseUrl = (
    entry.baseUrl ?? (entry.provider === 'openai' ? 'https://api.openai.com/v1' : '')
  ).replace(/\/+$/, '');
  const form = new FormData();
  form.append(
    'file',
    new Blob([Buffer.from(input.bytes)], { type: input.mimeType ?? 'application/octet-stream' }),
    input.filename,
  );
  form.append('model', entry.model);
  form.append('response_format', options.verbose ? 'verbose_json' : 'json');
  const response = await (options.fetch ?? fetch)(`${baseUrl}/audio/transcriptions`, {
    method: 'POST',
    body: form,
    headers: entry.apiKey ? { authorization: `Bearer ${entry.apiKey}` } : {},
    signal: options.signal,
  });
  if (!response.ok) {
    const error = new ParleyError(
      'model_unavailable',
      `The speech-to-text model ${entry.id} answered HTTP ${response.status}. Check its baseUrl and model (or PARLEY_TRANSCRIPTION_URL and PARLEY_TRANSCRIPTION_MODEL).`,
    );
    Object.assign(error, { statusCode: response.status });
    throw error;
  }
  const body = (await response.json()) as {
    text?: unknown;
    duration?: unknown;
    usage?: { type?: unknown; input_tokens?: unknown; output_tokens?: unknown; seconds?: unknown };
  };
  if (typeof body.text !== 'string') {
    throw new ParleyError(
      'model_output_invalid',
      `The speech-to-text model ${entry.id} answered without a text field; is it OpenAI-compatible?`,
    );
  }
  const tokens = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    text: body.text.trim(),
    inputTokens: tokens(body.usage?.input_tokens),
    outputTokens: tokens(body.usage?.output_tokens),
    audioSeconds: tokens(body.usage?.seconds) ?? tokens(body.duration),
  };
}
