import type { Appointment, AppointmentSettings } from '../../core/appointments.js';
import type { Business } from '../../core/business.js';
import type { Clock } from '../../core/clock.js';
import type { LiveEvents } from '../../core/live-events.js';
import type { Message } from '../../core/message.js';
import type { Store } from '../../core/store.js';
import { describeAppointment } from './appointment-payload.js';

/** 24 hours and 2 hours before, unless the business file says otherwise. */
export const DEFAULT_REMINDER_LEAD_MINUTES: readonly number[] = [24 * 60, 2 * 60];
// WhatsApp, Messenger and Instagram take automated messages only within 24 hours of the
// customer's last message (see channels/meta/service-window.ts).
const SERVICE_WINDOW_MS = 24 * 60 * 60_000;

export interface ReminderRun {
  queued: number;
  notSendable: number;
  skipped: number;
}

/** What the customer reads; composed by Parley from the appointment, never by a model. */
export function reminderText(appointment: Appointment, business: Business): string {
  const what = describeAppointment(
    { ...appointment, startsAt: appointment.startsAt.toISOString() },
    business,
  );
  return `Reminder: your appointment is coming up: ${what}. If you need to change or cancel it, just reply here.`;
}

/**
 * Writes the reminders due now, each in its own transaction with its outbox row and exactly once
 * (a reminders row keyed by appointment, lead time and start time). When several lead times are
 * due together (Parley was down), only the nearest goes and the others are recorded as skipped. A
 * reminder the channel's rules forbid (WhatsApp, Messenger, Instagram more than 24 hours after
 * the customer last wrote) is recorded as not sendable, with the reason, audited, and told to the
 * team as an internal note on the conversation (never sent to the customer).
 */
export async function queueAppointmentReminders(
  deps: { store: Store; clock: Clock; live?: LiveEvents | undefined },
  business: Business,
  settings: Pick<AppointmentSettings, 'reminderLeadMinutes'> & {
    /** channels.whatsapp.templates.appointmentReminder is set: reminders go outside the window. */
    whatsappReminderTemplate?: boolean;
  },
): Promise<ReminderRun> {
  const { store, clock } = deps;
  const now = clock.now();
  const leads = settings.reminderLeadMinutes ?? DEFAULT_REMINDER_LEAD_MINUTES;
  const due = await store.appointments.listDueReminders(business.id, now, leads);
  const byAppointment = new Map<string, { appointment: Appointment; leads: number[] }>();
  for (const { appointment, leadMinutes } of due) {
    const entry = byAppointment.get(appointment.id) ?? { appointment, leads: [] };
    entry.leads.push(leadMinutes);
    byAppointment.set(appointment.id, entry);
  }
  const run: ReminderRun = { queued: 0, notSendable: 0, skipped: 0 };
  const written: Message[] = [];
  const noted: string[] = [];
  for (const { appointment, leads: dueLeads } of byAppointment.values()) {
    const nearest = Math.min(...dueLeads);
    await store.transaction(async (tx) => {
      const claim = (
        leadMinutes: number,
        status: 'queued' | 'not_sendable' | 'skipped',
        reason: string | null,
      ) =>
        tx.appointments.claimReminder({
          businessId: business.id,
          appointmentId: appointment.id,
          leadMinutes,
          startsAt: appointment.startsAt,
          status,
          reason,
        });
      for (const lead of dueLeads.filter((lead) => lead !== nearest)) {
        if (await claim(lead, 'skipped', `the ${nearest}-minute reminder went instead`))
          run.skipped++;
      }
      const conversation = appointment.conversationId
        ? await tx.conversations.getById(business.id, appointment.conversationId)
        : null;
      const blocked = conversation
        ? await windowClosedReason(
            tx,
            business.id,
            appointment.contactId,
            conversation.channel,
            now,
            settings.whatsappReminderTemplate ?? false,
          )
        : 'the appointment has no conversation to send it to';
      if (!conversation || blocked) {
        const reason = blocked ?? 'no conversation';
        if (!(await claim(nearest, 'not_sendable', reason))) return;
        run.notSendable++;
        await tx.audit.record({
          businessId: business.id,
          actorType: 'system',
          actorId: null,
          action: 'appointment.reminder-not-sendable',
          subjectType: 'appointment',
          subjectId: appointment.id,
          details: { leadMinutes: nearest, startsAt: appointment.startsAt.toISOString(), reason },
        });
        // The owner reads the thread, not the audit log: an internal note there says what to do.
        if (conversation) {
          await tx.conversationNotes.add({
            businessId: business.id,
            conversationId: conversation.id,
            authorUserId: null,
            authorName: 'Parley',
            text: notSendableNote(appointment, business, nearest, reason),
          });
          noted.push(conversation.id);
        }
        return;
      }
      const reminderId = await claim(nearest, 'queued', null);
      if (!reminderId) return;
      const { message } = await tx.messages.insert({
        businessId: business.id,
        conversationId: conversation.id,
        channel: conversation.channel,
        direction: 'outbound',
        author: 'system',
        parts: [{ type: 'text', text: reminderText(appointment, business) }],
        status: 'pending',
      });
      await tx.outbox.enqueue({
        businessId: business.id,
        messageId: message.id,
        conversationId: conversation.id,
        channel: conversation.channel,
        at: now,
      });
      await tx.conversations.noteMessage(business.id, conversation.id, message);
      await tx.appointments.setReminderMessage(business.id, reminderId, message.id);
      run.queued++;
      written.push(message);
    });
  }
  for (const message of written) {
    deps.live?.publish({
      type: 'message-created',
      businessId: message.businessId,
      conversationId: message.conversationId,
      seq: message.seq,
    });
  }
  for (const conversationId of noted) {
    const conversation = await store.conversations.getById(business.id, conversationId);
    if (!conversation) continue;
    deps.live?.publish({
      type: 'conversation-updated',
      businessId: business.id,
      conversationId,
      state: conversation.state,
    });
  }
  if (written.length > 0) deps.live?.publish({ type: 'outbox-enqueued', businessId: business.id });
  return run;
}

/** The internal note for a reminder the channel would not take. */
export function notSendableNote(
  appointment: Appointment,
  business: Business,
  leadMinutes: number,
  reason: string,
): string {
  const what = describeAppointment(
    { ...appointment, startsAt: appointment.startsAt.toISOString() },
    business,
  );
  const lead = leadMinutes % 60 === 0 ? `${leadMinutes / 60}-hour` : `${leadMinutes}-minute`;
  return `The ${lead} reminder for ${what} was not sent. ${reason}`;
}

async function windowClosedReason(
  tx: Store,
  businessId: string,
  contactId: string,
  channel: string,
  now: Date,
  whatsappTemplate: boolean,
): Promise<string | null> {
  if (channel !== 'whatsapp' && channel !== 'messenger' && channel !== 'instagram') return null;
  // The WhatsApp sender sends the reminder template when the window is closed.
  if (channel === 'whatsapp' && whatsappTemplate) return null;
  const last = await tx.customerWindows.lastCustomerMessageAt(businessId, contactId, channel);
  if (last && now.getTime() - last.getTime() < SERVICE_WINDOW_MS) return null;
  return channel === 'whatsapp'
    ? 'The customer has not written on WhatsApp in the last 24 hours, so only an approved template may be sent. Set channels.whatsapp.templates.appointmentReminder (an approved template whose body takes the service, the date and the time) to send reminders then, or remind them another way.'
    : `The customer has not written on ${channel} in the last 24 hours, and automated messages are not allowed after that. Remind them another way.`;
}
