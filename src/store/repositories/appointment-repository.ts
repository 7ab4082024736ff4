import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Appointment, AppointmentRepository } from '../../core/appointments.js';
import { ParleyError } from '../../core/errors.js';
import { appointmentClaims, appointmentReminders, appointments } from '../schema/index.js';
import type { RepositoryContext } from './context.js';
import { isUniqueViolation } from './unique-violation.js';

const GRANULE_MS = 5 * 60_000;

type Row = typeof appointments.$inferSelect;

export function createAppointmentRepository(context: RepositoryContext): AppointmentRepository {
  const { db, ids, clock } = context;

  async function claim(businessId: string, appointment: Row): Promise<void> {
    const granules = granulesOf(appointment.startsAt, appointment.blockedUntil);
    try {
      await db.insert(appointmentClaims).values(
        granules.map((granule) => ({
          businessId,
          staffSlug: appointment.staffSlug,
          granule,
          appointmentId: appointment.id,
        })),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ParleyError('conflict', 'That time has just been taken. Choose another slot.', {
          cause: error,
        });
      }
      throw error;
    }
  }

  async function release(id: string): Promise<void> {
    await db.delete(appointmentClaims).where(eq(appointmentClaims.appointmentId, id));
  }

  return {
    async book(input) {
      const now = clock.now();
      const [row] = await db
        .insert(appointments)
        .values({ id: ids.newId(), ...input, status: 'booked', createdAt: now, updatedAt: now })
        .returning();
      await claim(input.businessId, row!);
      return toAppointment(row!);
    },
    async listBusy(businessId, from, to) {
      return db
        .select({
          id: appointments.id,
          staffSlug: appointments.staffSlug,
          startsAt: appointments.startsAt,
          blockedUntil: appointments.blockedUntil,
        })
        .from(appointments)
        .where(
          and(
            eq(appointments.businessId, businessId),
            eq(appointments.status, 'booked'),
            lt(appointments.startsAt, to),
            gt(appointments.blockedUntil, from),
          ),
        );
    },
    async listForContact(businessId, contactId, after) {
      const rows = await db
        .select()
        .from(appointments)
        .where(
          and(
            eq(appointments.businessId, businessId),
            eq(appointments.contactId, contactId),
            eq(appointments.status, 'booked'),
            gt(appointments.endsAt, after),
          ),
        )
        .orderBy(asc(appointments.startsAt));
      return rows.map(toAppointment);
    },
    async getForContact(businessId, contactId, id) {
      const [row] = await db
        .select()
        .from(appointments)
        .where(
          and(
            eq(appointments.businessId, businessId),
            eq(appointments.contactId, contactId),
            eq(appointments.id, id),
          ),
        );
      return row ? toAppointment(row) : null;
    },
    async reschedule(businessId, id, times) {
      const [row] = await db
        .update(appointments)
        .set({ ...times, sequence: sql`${appointments.sequence} + 1`, updatedAt: clock.now() })
        .where(
          and(
            eq(appointments.businessId, businessId),
            eq(appointments.id, id),
            eq(appointments.status, 'booked'),
          ),
        )
        .returning();
      if (!row)
        throw new ParleyError('not_found', 'The appointment was not found or is cancelled.');
      await release(id);
      await claim(businessId, row);
      return toAppointment(row);
    },
    async cancel(businessId, id) {
      const [row] = await db
        .update(appointments)
        .set({
          status: 'cancelled',
          sequence: sql`${appointments.sequence} + 1`,
          updatedAt: clock.now(),
        })
        .where(
          and(
            eq(appointments.businessId, businessId),
            eq(appointments.id, id),
            eq(appointments.status, 'booked'),
          ),
        )
        .returning();
      if (!row) return null;
      await release(id);
      return toAppointment(row);
    },
    async setInvite(businessId, id, ics) {
      await db
        .update(appointments)
        .set({ inviteIcs: ics })
        .where(and(eq(appointments.businessId, businessId), eq(appointments.id, id)));
    },
    async getInviteByUid(uid) {
      const [row] = await db
        .select({ ics: appointments.inviteIcs, sequence: appointments.sequence })
        .from(appointments)
        .where(eq(appointments.uid, uid));
      return row?.ics ? { ics: row.ics, sequence: row.sequence } : null;
    },
    async listDueReminders(businessId, now, leadMinutes) {
      if (leadMinutes.length === 0) return [];
      const leads = sql.join(
        leadMinutes.map((minutes) => sql`(${Math.trunc(minutes)}::int)`),
        sql`, `,
      );
      const rows = await db
        .select({ appointment: appointments, lead: sql<number>`lead.minutes` })
        .from(appointments)
        .innerJoin(sql`(VALUES ${leads}) AS lead(minutes)`, sql`true`)
        .where(
          and(
            eq(appointments.businessId, businessId),
            eq(appointments.status, 'booked'),
            gt(appointments.startsAt, now),
            sql`${appointments.startsAt} - make_interval(mins => lead.minutes) <= ${now}`,
            sql`${appointments.updatedAt} <= ${appointments.startsAt} - make_interval(mins => lead.minutes)`,
            sql`NOT EXISTS (SELECT 1 FROM ${appointmentReminders} r
              WHERE r.appointment_id = ${appointments.id} AND r.lead_minutes = lead.minutes
                AND r.starts_at = ${appointments.startsAt})`,
          ),
        )
        .orderBy(asc(appointments.startsAt), sql`lead.minutes`)
        .limit(500);
      return rows.map((row) => ({
        appointment: toAppointment(row.appointment),
        leadMinutes: Number(row.lead),
      }));
    },
    async claimReminder(input) {
      const [row] = await db
        .insert(appointmentReminders)
        .values({ id: ids.newId(), ...input, createdAt: clock.now() })
        .onConflictDoNothing()
        .returning({ id: appointmentReminders.id });
      return row?.id ?? null;
    },
    async getByReminderMessage(businessId, messageId) {
      const [row] = await db
        .select({ appointment: appointments })
        .from(appointmentReminders)
        .innerJoin(appointments, eq(appointments.id, appointmentReminders.appointmentId))
        .where(
          and(
            eq(appointmentReminders.businessId, businessId),
            eq(appointmentReminders.messageId, messageId),
          ),
        );
      return row ? toAppointment(row.appointment) : null;
    },
    async setReminderMessage(businessId, reminderId, messageId) {
      await db
        .update(appointmentReminders)
        .set({ messageId })
        .where(
          and(
            eq(appointmentReminders.businessId, businessId),
            eq(appointmentReminders.id, reminderId),
          ),
        );
    },
  };
}

function granulesOf(from: Date, until: Date): Date[] {
  const granules: Date[] = [];
  const first = Math.floor(from.getTime() / GRANULE_MS) * GRANULE_MS;
  for (let at = first; at < until.getTime(); at += GRANULE_MS) granules.push(new Date(at));
  return granules;
}

function toAppointment(row: Row): Appointment {
  return {
    id: row.id,
    businessId: row.businessId,
    contactId: row.contactId,
    conversationId: row.conversationId,
    serviceSlug: row.serviceSlug,
    serviceName: row.serviceName,
    staffSlug: row.staffSlug,
    staffName: row.staffName,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    blockedUntil: row.blockedUntil,
    status: row.status,
    priceMinor: row.priceMinor,
    uid: row.uid,
    sequence: row.sequence,
    inviteIcs: row.inviteIcs,
  };
}
