import { and, asc, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { ChannelKind } from '../../core/channel.js';
import type { Contact } from '../../core/contact.js';
import type {
  ContactDirectory,
  ContactMergeCounts,
  ContactWithIdentities,
} from '../../core/contact-directory.js';
import {
  appointments,
  cartLines,
  contactIdentities,
  contacts,
  conversations,
  customerWindows,
  leadDeliveries,
  leads,
  modelCalls,
  orders,
  pendingActions,
} from '../schema/index.js';
import type { RepositoryContext } from './context.js';

const LIST_LIMIT = 20;

export function createContactDirectoryRepository({
  db,
  clock,
}: RepositoryContext): ContactDirectory {
  async function withIdentities(rows: Array<typeof contacts.$inferSelect>) {
    if (rows.length === 0) return [];
    const identities = await db
      .select()
      .from(contactIdentities)
      .where(
        inArray(
          contactIdentities.contactId,
          rows.map((row) => row.id),
        ),
      )
      .orderBy(asc(contactIdentities.createdAt));
    return rows.map((row): ContactWithIdentities => ({
      ...toContact(row),
      identities: identities
        .filter((identity) => identity.contactId === row.id)
        .map((identity) => ({
          channel: identity.channel as ChannelKind,
          externalId: identity.externalId,
        })),
    }));
  }

  async function contactRow(businessId: string, contactId: string) {
    const [row] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.businessId, businessId), eq(contacts.id, contactId)));
    return row ?? null;
  }

  return {
    async search(businessId, query, limit) {
      const pattern = `%${query.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
      const rows = await db
        .select()
        .from(contacts)
        .where(
          and(
            eq(contacts.businessId, businessId),
            or(
              sql`${contacts.displayName} ILIKE ${pattern}`,
              sql`${contacts.phone} ILIKE ${pattern}`,
              sql`${contacts.email} ILIKE ${pattern}`,
              sql`EXISTS (SELECT 1 FROM ${contactIdentities} WHERE ${contactIdentities.contactId} = ${contacts.id} AND ${contactIdentities.externalId} ILIKE ${pattern})`,
            ),
          ),
        )
        .orderBy(desc(contacts.updatedAt), asc(contacts.id))
        .limit(limit);
      return withIdentities(rows);
    },

    async profile(businessId, contactId) {
      const row = await contactRow(businessId, contactId);
      if (!row) return null;
      const [contact] = await withIdentities([row]);
      const scope = (table: { businessId: AnyPgColumn; contactId: AnyPgColumn }) =>
        and(eq(table.businessId, businessId), eq(table.contactId, contactId));
      const [conversationRows, orderRows, appointmentRows, leadRows] = await Promise.all([
        db
          .select()
          .from(conversations)
          .where(scope(conversations))
          .orderBy(desc(conversations.lastMessageAt))
          .limit(LIST_LIMIT),
        db
          .select()
          .from(orders)
          .where(scope(orders))
          .orderBy(desc(orders.createdAt))
          .limit(LIST_LIMIT),
        db
          .select()
          .from(appointments)
          .where(scope(appointments))
          .orderBy(desc(appointments.startsAt))
          .limit(LIST_LIMIT),
        db.select().from(leads).where(scope(leads)).limit(1),
      ]);
      const lead = leadRows[0];
      return {
        contact: contact!,
        conversations: conversationRows.map((conversation) => ({
          id: conversation.id,
          channel: conversation.channel as ChannelKind,
          state: conversation.state,
          lastMessageAt: conversation.lastMessageAt,
          lastMessagePreview: conversation.lastMessagePreview,
        })),
        orders: orderRows.map((order) => ({
          id: order.id,
          number: order.number,
          status: order.status,
          currency: order.currency,
          totalMinor: order.totalMinor,
          createdAt: order.createdAt,
        })),
        appointments: appointmentRows.map((appointment) => ({
          id: appointment.id,
          serviceName: appointment.serviceName,
          staffName: appointment.staffName,
          startsAt: appointment.startsAt,
          status: appointment.status,
        })),
        lead: lead
          ? {
              id: lead.id,
              stage: lead.stage,
              score: lead.score,
              answers: lead.answers,
              updatedAt: lead.updatedAt,
            }
          : null,
      };
    },

    async update(businessId, contactId, changes) {
      const set = {
        ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        ...(changes.vip !== undefined ? { vip: changes.vip } : {}),
        ...(changes.flagged !== undefined ? { flagged: changes.flagged } : {}),
        updatedAt: clock.now(),
      };
      const [row] = await db
        .update(contacts)
        .set(set)
        .where(and(eq(contacts.businessId, businessId), eq(contacts.id, contactId)))
        .returning();
      return row ? toContact(row) : null;
    },

    async lockForMerge(businessId, contactIds) {
      // Locked in id order, so two merges of the same pair cannot deadlock.
      const rows = await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.businessId, businessId), inArray(contacts.id, [...contactIds])))
        .orderBy(asc(contacts.id))
        .for('update');
      return rows.map(toContact);
    },

    async openConversationClashes(businessId, keepId, mergeId) {
      const open = await db
        .select({ contactId: conversations.contactId, channel: conversations.channel })
        .from(conversations)
        .where(
          and(
            eq(conversations.businessId, businessId),
            inArray(conversations.contactId, [keepId, mergeId]),
            ne(conversations.state, 'resolved'),
          ),
        );
      const kept = new Set(
        open.filter((row) => row.contactId === keepId).map((row) => row.channel),
      );
      return [
        ...new Set(
          open
            .filter((row) => row.contactId === mergeId && kept.has(row.channel))
            .map((row) => row.channel as ChannelKind),
        ),
      ];
    },

    async moveInto(businessId, keepId, mergeId) {
      const now = clock.now();
      const moveRows = async <
        Table extends
          | typeof contactIdentities
          | typeof conversations
          | typeof orders
          | typeof appointments
          | typeof pendingActions
          | typeof modelCalls,
      >(
        table: Table,
      ) => {
        const moved = await db
          .update(table)
          .set({ contactId: keepId } as never)
          .where(and(eq(table.businessId, businessId), eq(table.contactId, mergeId)))
          .returning({ id: table.id });
        return moved.length;
      };

      const counts: ContactMergeCounts = {
        identities: await moveRows(contactIdentities),
        conversations: await moveRows(conversations),
        orders: await moveRows(orders),
        appointments: await moveRows(appointments),
        pendingActions: await moveRows(pendingActions),
        modelCalls: await moveRows(modelCalls),
        cartLines: 0,
        leads: 0,
        customerWindows: 0,
      };

      // Carts: the same product in both carts adds up.
      const cart = await db
        .delete(cartLines)
        .where(and(eq(cartLines.businessId, businessId), eq(cartLines.contactId, mergeId)))
        .returning();
      if (cart.length > 0) {
        await db
          .insert(cartLines)
          .values(cart.map((line) => ({ ...line, contactId: keepId, updatedAt: now })))
          .onConflictDoUpdate({
            target: [cartLines.contactId, cartLines.variantId],
            set: { quantity: sql`${cartLines.quantity} + excluded.quantity`, updatedAt: now },
          });
      }
      counts.cartLines = cart.length;

      // Service windows: the latest message on each channel counts.
      const windows = await db
        .delete(customerWindows)
        .where(
          and(eq(customerWindows.businessId, businessId), eq(customerWindows.contactId, mergeId)),
        )
        .returning();
      if (windows.length > 0) {
        await db
          .insert(customerWindows)
          .values(windows.map((window) => ({ ...window, contactId: keepId })))
          .onConflictDoUpdate({
            target: [
              customerWindows.businessId,
              customerWindows.contactId,
              customerWindows.channel,
            ],
            set: {
              lastCustomerMessageAt: sql`greatest(${customerWindows.lastCustomerMessageAt}, excluded.last_customer_message_at)`,
            },
          });
      }
      counts.customerWindows = windows.length;

      // Leads: one per contact. Two become one: the kept lead's answers win, the best score stays,
      // and the merged lead's CRM deliveries follow it.
      const [mergedLead] = await db
        .select()
        .from(leads)
        .where(and(eq(leads.businessId, businessId), eq(leads.contactId, mergeId)));
      if (mergedLead) {
        const [keptLead] = await db
          .select()
          .from(leads)
          .where(and(eq(leads.businessId, businessId), eq(leads.contactId, keepId)));
        if (keptLead) {
          await db
            .update(leadDeliveries)
            .set({ leadId: keptLead.id })
            .where(eq(leadDeliveries.leadId, mergedLead.id));
          await db.delete(leads).where(eq(leads.id, mergedLead.id));
          await db
            .update(leads)
            .set({
              answers: { ...mergedLead.answers, ...keptLead.answers },
              score: Math.max(keptLead.score, mergedLead.score),
              conversationId: keptLead.conversationId ?? mergedLead.conversationId,
              updatedAt: now,
            })
            .where(eq(leads.id, keptLead.id));
        } else {
          await db
            .update(leads)
            .set({ contactId: keepId, updatedAt: now })
            .where(eq(leads.id, mergedLead.id));
        }
        counts.leads = 1;
      }

      const merged = await contactRow(businessId, mergeId);
      const kept = await contactRow(businessId, keepId);
      if (merged && kept) {
        await db
          .update(contacts)
          .set({
            displayName: kept.displayName ?? merged.displayName,
            phone: kept.phone ?? merged.phone,
            email: kept.email ?? merged.email,
            vip: kept.vip || merged.vip,
            flagged: kept.flagged || merged.flagged,
            createdAt: kept.createdAt < merged.createdAt ? kept.createdAt : merged.createdAt,
            updatedAt: now,
          })
          .where(eq(contacts.id, keepId));
        await db.delete(contacts).where(eq(contacts.id, mergeId));
      }
      return counts;
    },
  };
}

function toContact(row: typeof contacts.$inferSelect): Contact {
  return {
    id: row.id,
    businessId: row.businessId,
    displayName: row.displayName,
    phone: row.phone,
    email: row.email,
    vip: row.vip,
    flagged: row.flagged,
    createdAt: row.createdAt,
  };
}
