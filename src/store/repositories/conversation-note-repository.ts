import { and, asc, eq } from 'drizzle-orm';
import type { ConversationNote, ConversationNoteRepository } from '../../core/inbox-store.js';
import { conversationNotes } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createConversationNoteRepository({
  db,
  ids,
  clock,
}: RepositoryContext): ConversationNoteRepository {
  return {
    async add(input) {
      const [row] = await db
        .insert(conversationNotes)
        .values({ id: ids.newId(), ...input, createdAt: clock.now() })
        .returning();
      return toNote(row!);
    },
    async listForConversation(businessId, conversationId) {
      const rows = await db
        .select()
        .from(conversationNotes)
        .where(
          and(
            eq(conversationNotes.businessId, businessId),
            eq(conversationNotes.conversationId, conversationId),
          ),
        )
        .orderBy(asc(conversationNotes.createdAt), asc(conversationNotes.id));
      return rows.map(toNote);
    },
  };
}

function toNote(row: typeof conversationNotes.$inferSelect): ConversationNote {
  return {
    id: row.id,
    businessId: row.businessId,
    conversationId: row.conversationId,
    authorUserId: row.authorUserId,
    authorName: row.authorName,
    text: row.text,
    createdAt: row.createdAt,
  };
}
