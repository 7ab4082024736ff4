import { z } from 'zod';
import type { Contact } from '../../core/contact.js';
import type { Conversation } from '../../core/conversation.js';
import type { CannedReply, ConversationNote } from '../../core/inbox-store.js';
import { apiConversation, conversationSchema } from '../api-shapes.js';

/** A conversation as the inbox shows it: with its tags and since when the customer waits. */
export function apiInboxConversation(
  conversation: Conversation,
  contact: Contact | null,
  tags: readonly string[],
) {
  return {
    ...apiConversation(conversation, contact),
    tags: [...tags],
    waitingSince: conversation.waitingSince?.toISOString() ?? null,
  };
}

export const inboxConversationSchema = conversationSchema.extend({
  tags: z.array(z.string()),
  waitingSince: z.iso.datetime().nullable(),
});

export function apiNote(note: ConversationNote) {
  return {
    id: note.id,
    conversationId: note.conversationId,
    authorUserId: note.authorUserId,
    authorName: note.authorName,
    text: note.text,
    createdAt: note.createdAt.toISOString(),
  };
}

export const noteSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  authorUserId: z.uuid().nullable(),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.iso.datetime(),
});

export function apiCannedReply(reply: CannedReply) {
  return {
    id: reply.id,
    shortcut: reply.shortcut,
    title: reply.title,
    body: reply.body,
    updatedAt: reply.updatedAt.toISOString(),
  };
}

export const cannedReplySchema = z.object({
  id: z.uuid(),
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  updatedAt: z.iso.datetime(),
});

const viewCountSchema = z.object({ conversations: z.number().int(), unread: z.number().int() });

export const viewCountsSchema = z.object({
  all: viewCountSchema,
  waiting: viewCountSchema,
  mine: viewCountSchema,
  unassigned: viewCountSchema,
});
