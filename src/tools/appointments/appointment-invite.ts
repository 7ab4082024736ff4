import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';
import type { Appointment } from '../../core/appointments.js';
import type { Business } from '../../core/business.js';
import type { Contact } from '../../core/contact.js';
import type { MessagePart } from '../../core/message.js';

/** Where an invite is served: `/api/invites/<UID>.ics` (the UID's random part makes it unguessable). */
export function invitePath(uid: string): string {
  return `/api/invites/${encodeURIComponent(uid)}.ics`;
}

/**
 * The invite as a message part: a calendar file the channel sends as a document (WhatsApp), or a
 * link (web chat, Messenger, Instagram). The link always serves the appointment's current invite.
 */
export function inviteAttachment(
  publicUrl: string,
  appointment: Pick<Appointment, 'uid' | 'status'>,
): MessagePart {
  const cancelled = appointment.status === 'cancelled';
  return {
    type: 'media',
    kind: 'document',
    mimeType: 'text/calendar',
    filename: cancelled ? 'cancelled-appointment.ics' : 'appointment.ics',
    caption: cancelled ? 'Remove it from your calendar' : 'Add it to your calendar',
    providerUrl: `${publicUrl.replace(/\/+$/, '')}${invitePath(appointment.uid)}`,
  };
}

/**
 * The appointment as an iCalendar invite (RFC 5545, iTIP RFC 5546): METHOD REQUEST while booked
 * (a reschedule is the same UID with a higher SEQUENCE), METHOD CANCEL with STATUS CANCELLED when
 * cancelled. Times are local to the business with a VTIMEZONE, as calendars show them best.
 */
export function appointmentInvite(
  appointment: Appointment,
  business: Business,
  contact: Contact | null,
  now: Date,
): string {
  const zone = business.profile.timezone;
  const cancelled = appointment.status === 'cancelled';
  const calendar = ical({
    prodId: { company: 'Parley', product: 'Parley appointments', language: 'EN' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: zone, generator: getVtimezoneComponent },
  });
  const host = hostOf(business.profile.website) ?? 'parley.invalid';
  calendar.createEvent({
    id: appointment.uid,
    sequence: appointment.sequence,
    stamp: now,
    start: appointment.startsAt,
    end: appointment.endsAt,
    timezone: zone,
    summary: `${appointment.serviceName} at ${business.name}`,
    description: `${appointment.serviceName} with ${appointment.staffName}.`,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: business.name, email: `bookings@${host}` },
    attendees: [
      {
        name: contact?.displayName ?? 'Customer',
        // A customer known only by a chat id has no address; `.invalid` never resolves (RFC 6761).
        email: contact?.email ?? `customer-${appointment.contactId}@invalid`,
        role: ICalAttendeeRole.REQ,
        status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
        rsvp: false,
      },
    ],
  });
  return calendar.toString();
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
