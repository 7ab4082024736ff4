import { ParleyError, notFound } from '../core/errors.js';
import type { InboxDependencies } from './inbox-dependencies.js';

export const MAX_TAG_LENGTH = 40;
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u;

/** A tag as stored: trimmed, lower case, inner spaces collapsed. Throws on anything else. */
export function normaliseTag(raw: string): string {
  const tag = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  if (tag === '') throw new ParleyError('validation_failed', 'The tag is empty. Type a word.');
  if (tag.length > MAX_TAG_LENGTH || !TAG_PATTERN.test(tag)) {
    throw new ParleyError(
      'validation_failed',
      `"${raw}" cannot be a tag. Use up to ${MAX_TAG_LENGTH} letters, digits, spaces, "-" or "_", starting with a letter or digit (e.g. "refund" or "vip-customer").`,
    );
  }
  return tag;
}

/** Adds or removes a tag; returns the conversation's tags afterwards. */
export async function changeConversationTags(
  deps: InboxDependencies,
  input: { businessId: string; conversationId: string; add?: string; remove?: string },
): Promise<string[]> {
  const conversation = await deps.store.conversations.getById(
    input.businessId,
    input.conversationId,
  );
  if (!conversation) throw notFound('Conversation');
  if (input.add !== undefined) {
    await deps.store.conversationTags.add(
      input.businessId,
      conversation.id,
      normaliseTag(input.add),
    );
  }
  if (input.remove !== undefined) {
    await deps.store.conversationTags.remove(
      input.businessId,
      conversation.id,
      input.remove.trim().toLowerCase(),
    );
  }
  deps.live.publish({
    type: 'conversation-updated',
    businessId: input.businessId,
    conversationId: conversation.id,
    state: conversation.state,
  });
  const tags = await deps.store.conversationTags.forConversations(input.businessId, [
    conversation.id,
  ]);
  return tags.get(conversation.id) ?? [];
}
