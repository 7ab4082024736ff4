import { ParleyError } from '../core/errors.js';
import type { Transcriber } from '../core/transcriber.js';

/**
 * Speech to text over an OpenAI-compatible `POST <base>/audio/transcriptions` (multipart: `file`,
 * `model`), as whisper.cpp's server, vLLM and hosted APIs offer. Answers `{ text }`.
 */
export function createOpenAITranscriber(
  settings: { baseUrl: string; model: string; apiKey: string | null; timeoutMs?: number },
  fetchImpl: typeof fetch = fetch,
): Transcriber {
  return {
    async transcribe({ bytes, mimeType, filename }) {
      const form = new FormData();
      form.append(
        'file',
        new Blob([Buffer.from(bytes)], { type: mimeType ?? 'application/octet-stream' }),
        filename,
      );
      form.append('model', settings.model);
      form.append('response_format', 'json');
      const response = await fetchImpl(`${settings.baseUrl}/audio/transcriptions`, {
        method: 'POST',
        body: form,
        headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
        signal: AbortSignal.timeout(settings.timeoutMs ?? 60_000),
      });
      if (!response.ok) {
        throw new ParleyError(
          'model_unavailable',
          `The speech-to-text endpoint answered HTTP ${response.status}. Check PARLEY_TRANSCRIPTION_URL and PARLEY_TRANSCRIPTION_MODEL.`,
        );
      }
      const body = (await response.json()) as { text?: unknown };
      if (typeof body.text !== 'string') {
        throw new ParleyError(
          'model_output_invalid',
          'The speech-to-text endpoint answered without a text field; is it OpenAI-compatible?',
        );
      }
      return body.text.trim();
    },
  };
}
