import type { Appointment } from '../../core/appointments.js';
import type { PendingAction } from '../../core/commerce.js';
import { isParleyError, notFound } from '../../core/errors.js';
import type { Store } from '../../core/store.js';
import type { ActionDependencies, ActionOutcome } from '../confirmations/action-dependencies.js';
import { appointmentInvite, inviteAttachment } from './appointment-invite.js';
import { describeAppointment, type AppointmentPayload } from './appointment-payload.js';
import { newAppointmentUid } from './appointment-tools.js';

/**
 * Carries out a confirmed booking, move or cancellation in one transaction with the action's
 * settlement and the invite. The database's claim on the staff member's time decides races: a
 * time taken meanwhile fails the action, and nothing is written.
 */
export async function commitAppointment(
  deps: ActionDependencies,
  action: PendingAction,
): Promise<ActionOutcome | null> {
  const { store, clock } = deps;
  const payload = action.payload as AppointmentPayload;
  let done: { appointment: Appointment; text: string } | null;
  try {
    done = await store.transaction(async (tx) => {
      if (!(await tx.pendingActions.settle(action.businessId, action.id, 'confirmed', null)))
        return null;
      const business = await tx.businesses.getById(action.businessId);
      if (!business) throw notFound('The business');
      const times = {
        startsAt: new Date(payload.startsAt),
        endsAt: new Date(payload.endsAt),
        blockedUntil: new Date(payload.blockedUntil),
      };
      let appointment: Appointment;
      let text: string;
      if (action.kind === 'book_appointment') {
        appointment = await tx.appointments.book({
          businessId: action.businessId,
          contactId: action.contactId,
          conversationId: action.conversationId,
          serviceSlug: payload.serviceSlug,
          serviceName: payload.serviceName,
          staffSlug: payload.staffSlug,
          staffName: payload.staffName,
          priceMinor: payload.priceMinor,
          uid: newAppointmentUid(hostOf(business.profile.website)),
          ...times,
        });
        text = `You're booked: ${describeAppointment(payload, business)}. See you then!`;
      } else {
        const own = await ownAppointment(tx, action, payload.appointmentId);
        if (action.kind === 'reschedule_appointment') {
          appointment = await tx.appointments.reschedule(action.businessId, own.id, times);
          text = `Done: your appointment is now ${describeAppointment(payload, business)}.`;
        } else {
          const cancelled = await tx.appointments.cancel(action.businessId, own.id);
          if (!cancelled) throw notFound('The appointment');
          appointment = cancelled;
          text = `Cancelled: ${describeAppointment(payload, business)}.`;
        }
      }
      const contact = await tx.contacts.getById(action.businessId, action.contactId);
      await tx.appointments.setInvite(
        action.businessId,
        appointment.id,
        appointmentInvite(appointment, business, contact, clock.now()),
      );
      await tx.audit.record({
        businessId: action.businessId,
        actorType: 'system',
        actorId: null,
        action: AUDIT_ACTION[action.kind],
        subjectType: 'appointment',
        subjectId: appointment.id,
        details: {
          confirmationId: action.id,
          startsAt: payload.startsAt,
          contactId: action.contactId,
        },
      });
      return { appointment, text };
    });
  } catch (error) {
    if (!isParleyError(error, 'conflict') && !isParleyError(error, 'not_found')) throw error;
    const reason = isParleyError(error, 'conflict')
      ? 'that time has just been taken'
      : 'the appointment no longer exists';
    await store.pendingActions.settle(action.businessId, action.id, 'failed', { reason });
    return {
      status: 'failed',
      text: `Sorry, I couldn't do that: ${reason}. Ask me for other times.`,
      handoffReason: null,
      result: { reason },
    };
  }
  if (!done) return null;
  return {
    status: 'confirmed',
    text: done.text,
    handoffReason: null,
    result: { appointmentId: done.appointment.id, sequence: done.appointment.sequence },
    ...(deps.publicUrl
      ? { attachments: [inviteAttachment(deps.publicUrl, done.appointment)] }
      : {}),
  };
}

const AUDIT_ACTION: Record<PendingAction['kind'], string> = {
  place_order: 'order.placed',
  book_appointment: 'appointment.booked',
  reschedule_appointment: 'appointment.rescheduled',
  cancel_appointment: 'appointment.cancelled',
};

async function ownAppointment(tx: Store, action: PendingAction, id: string | undefined) {
  const appointment = id
    ? await tx.appointments.getForContact(action.businessId, action.contactId, id)
    : null;
  if (!appointment || appointment.status !== 'booked') throw notFound('The appointment');
  return appointment;
}

function hostOf(website: string | undefined): string {
  try {
    return website ? new URL(website).hostname : 'parley.invalid';
  } catch {
    return 'parley.invalid';
  }
}
