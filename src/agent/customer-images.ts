import type { BlobStore } from '../core/blob-store.js';
import type { Message } from '../core/message.js';
import type { CustomerImage } from './model-messages.js';

/** Formats every vision API we route to accepts (OpenAI, Anthropic, llama.cpp, vLLM, Ollama). */
const MODEL_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/**
 * The bytes of the customer's most recent photos in the window (newest first, at most `limit`,
 * each at most `maxBytes`), by blob key, for a model that reads images. Older, oversized or
 * unreadable photos are left out: the model then gets a note that a photo was sent.
 */
export async function loadCustomerImages(
  window: readonly Message[],
  blobs: Pick<BlobStore, 'get'>,
  options: { limit?: number; maxBytes?: number; onProblem?: (problem: string) => void } = {},
): Promise<Map<string, CustomerImage>> {
  const limit = options.limit ?? 3;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keys: string[] = [];
  for (const message of [...window].reverse()) {
    if (message.author !== 'customer') continue;
    for (const part of [...message.parts].reverse()) {
      if (part.type === 'media' && part.kind === 'image' && part.blobKey && keys.length < limit) {
        keys.push(part.blobKey);
      }
    }
  }
  const images = new Map<string, CustomerImage>();
  await Promise.all(
    keys.map(async (key) => {
      try {
        const blob = await blobs.get(key);
        const mediaType = blob?.contentType ?? null;
        if (!blob || !mediaType || !MODEL_IMAGE_TYPES.has(mediaType)) return;
        if (blob.bytes.byteLength > maxBytes) return;
        images.set(key, { bytes: blob.bytes, mediaType });
      } catch (error) {
        // A photo the store cannot read now is a note to the model, not a failed turn.
        options.onProblem?.(`could not read photo ${key}: ${(error as Error).message}`);
      }
    }),
  );
  return images;
}
