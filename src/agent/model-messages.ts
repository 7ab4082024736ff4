import type { ModelMessage, TextPart, ImagePart } from 'ai';
import { textOfParts, type Message, type MessagePart } from '../core/message.js';

/** A customer's photo, read from the blob store for a model that sees images. */
export interface CustomerImage {
  bytes: Uint8Array;
  mediaType: string;
}

/**
 * The conversation as the model reads it. A person's replies count as the business's side
 * (assistant); Parley's own system notices are left out: the model need not imitate them.
 * Customers' photos whose bytes are in `images` (by blob key) go as image parts; any other photo
 * becomes a note, so the model knows one was sent and does not pretend to have seen it.
 */
export function toModelMessages(
  messages: readonly Message[],
  images: ReadonlyMap<string, CustomerImage> = new Map(),
): ModelMessage[] {
  const result: ModelMessage[] = [];
  for (const message of messages) {
    if (message.author === 'system' || message.text.trim() === '') continue;
    if (message.author === 'customer') {
      result.push({ role: 'user', content: customerContent(message, images) });
    } else {
      result.push({ role: 'assistant', content: message.text });
    }
  }
  // A window cut mid-conversation may start with the business's side; models expect a user first.
  while (result[0]?.role === 'assistant') result.shift();
  return result;
}

function customerContent(
  message: Message,
  images: ReadonlyMap<string, CustomerImage>,
): string | Array<TextPart | ImagePart> {
  if (!message.parts.some(isPhoto)) return message.text;
  const content: Array<TextPart | ImagePart> = [];
  const text = (value: string) => {
    if (value.trim() !== '') content.push({ type: 'text', text: value });
  };
  for (const part of message.parts) {
    if (!isPhoto(part)) {
      text(textOfParts([part]));
      continue;
    }
    const image = part.blobKey === undefined ? undefined : images.get(part.blobKey);
    if (image) {
      text('[The customer sent this photo]');
      content.push({ type: 'image', image: image.bytes, mediaType: image.mediaType });
    } else {
      text('[The customer sent a photo, which you cannot see]');
    }
    if (part.caption) text(part.caption);
  }
  return content;
}

function isPhoto(part: MessagePart): part is Extract<MessagePart, { type: 'media' }> {
  return part.type === 'media' && part.kind === 'image';
}
