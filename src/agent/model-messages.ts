import type { ModelMessage } from 'ai';
import type { Message } from '../core/message.js';

/**
 * The conversation as the model reads it. A person's replies count as the business's side
 * (assistant); Parley's own system notices are left out: the model need not imitate them.
 */
export function toModelMessages(messages: readonly Message[]): ModelMessage[] {
  const result: ModelMessage[] = [];
  for (const message of messages) {
    if (message.author === 'system' || message.text.trim() === '') continue;
    if (message.author === 'customer') {
      result.push({ role: 'user', content: message.text });
    } else {
      result.push({ role: 'assistant', content: message.text });
    }
  }
  // A window cut mid-conversation may start with the business's side; models expect a user first.
  while (result[0]?.role === 'assistant') result.shift();
  return result;
}
