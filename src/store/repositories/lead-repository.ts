import { and, desc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Lead, LeadRepository, LeadWithContact } from '../../core/leads.js';
import { contacts, leads } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

const withContact = {
  lead: leads,
  displayName: contacts.displayName,
  phone: contacts.phone,
  email: contacts.email,
};

export function createLeadRepository({ db, ids, clock }: RepositoryContext): LeadRepository {
  async function selectWithContact(where: SQL | undefined, limit: number | null) {
    const rows = await db
      .select(withContact)
      .from(leads)
      .innerJoin(contacts, eq(contacts.id, leads.contactId))
      .where(where)
      .orderBy(desc(leads.score), desc(leads.updatedAt), desc(leads.id))
      .limit(limit ?? Number.MAX_SAFE_INTEGER);
    return rows.map((row): LeadWithContact => ({
      ...toLead(row.lead),
      contact: { displayName: row.displayName, phone: row.phone, email: row.email },
    }));
  }

  return {
    async lockOrCreate({ businessId, contactId, conversationId, stage }) {
      const now = clock.now();
      // The insert takes the unique (business, contact) slot, or yields to the row another
      // transaction made; either way the row is then locked for this transaction.
      const [inserted] = await db
        .insert(leads)
        .values({
          id: ids.newId(),
          businessId,
          contactId,
          conversationId,
          stage,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [leads.businessId, leads.contactId] })
        .returning();
      if (inserted) return { lead: toLead(inserted), created: true };
      const [existing] = await db
        .select()
        .from(leads)
        .where(and(eq(leads.businessId, businessId), eq(leads.contactId, contactId)))
        .for('update');
      return { lead: toLead(existing!), created: false };
    },
    async update(businessId, id, change) {
      const [row] = await db
        .update(leads)
        .set({ ...change, updatedAt: clock.now() })
        .where(and(eq(leads.businessId, businessId), eq(leads.id, id)))
        .returning();
      return toLead(row!);
    },
    async setStage(businessId, id, stage) {
      const [before] = await db
        .select()
        .from(leads)
        .where(and(eq(leads.businessId, businessId), eq(leads.id, id)))
        .for('update');
      if (!before) return null;
      await db
        .update(leads)
        .set({ stage, stageSetBy: 'person', updatedAt: clock.now() })
        .where(and(eq(leads.businessId, businessId), eq(leads.id, id)));
      const [after] = await selectWithContact(
        and(eq(leads.businessId, businessId), eq(leads.id, id)),
        1,
      );
      return { before: toLead(before), after: after! };
    },
    async getForContact(businessId, contactId) {
      const [row] = await db
        .select()
        .from(leads)
        .where(and(eq(leads.businessId, businessId), eq(leads.contactId, contactId)));
      return row ? toLead(row) : null;
    },
    async getById(businessId, id) {
      const [lead] = await selectWithContact(
        and(eq(leads.businessId, businessId), eq(leads.id, id)),
        1,
      );
      return lead ?? null;
    },
    async list(businessId, filter = {}) {
      const text = filter.text?.trim() ?? '';
      const pattern = `%${escapeLike(text)}%`;
      return selectWithContact(
        and(
          eq(leads.businessId, businessId),
          filter.stage === undefined ? undefined : eq(leads.stage, filter.stage),
          filter.minScore === undefined ? undefined : gte(leads.score, filter.minScore),
          text === ''
            ? undefined
            : sql`(${contacts.displayName} ILIKE ${pattern} OR ${contacts.email} ILIKE ${pattern}
                OR ${contacts.phone} ILIKE ${pattern}
                OR EXISTS (SELECT 1 FROM jsonb_each_text(${leads.answers}) answer WHERE answer.value ILIKE ${pattern}))`,
        ),
        filter.limit === null ? null : Math.max(filter.limit ?? 200, 1),
      );
    },
  };
}

function toLead(row: typeof leads.$inferSelect): Lead {
  return {
    id: row.id,
    businessId: row.businessId,
    contactId: row.contactId,
    conversationId: row.conversationId,
    answers: row.answers,
    score: row.score,
    stage: row.stage,
    stageSetBy: row.stageSetBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
