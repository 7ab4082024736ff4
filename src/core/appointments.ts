/** Bookings of the business's services with a staff member (or resource). */
export interface Appointment {
  id: string;
  businessId: string;
  contactId: string;
  conversationId: string | null;
  serviceSlug: string;
  serviceName: string;
  staffSlug: string;
  staffName: string;
  startsAt: Date;
  endsAt: Date;
  /** `endsAt` plus the service's buffer: when the staff member is free again. */
  blockedUntil: Date;
  status: 'booked' | 'cancelled';
  priceMinor: number;
  /** iCalendar UID, stable for the appointment's life. */
  uid: string;
  /** iCalendar SEQUENCE: 0 when booked, +1 on each reschedule or cancellation. */
  sequence: number;
  inviteIcs: string | null;
}

export type NewAppointment = Omit<Appointment, 'id' | 'status' | 'sequence' | 'inviteIcs'>;

export interface AppointmentRepository {
  /**
   * Books it, claiming its staff member's time; throws ParleyError `conflict` when any of that
   * time is taken (the database decides, so concurrent bookings cannot both win).
   */
  book(input: NewAppointment): Promise<Appointment>;
  /** Booked appointments overlapping [from, to), any staff member. */
  listBusy(
    businessId: string,
    from: Date,
    to: Date,
  ): Promise<Array<Pick<Appointment, 'id' | 'staffSlug' | 'startsAt' | 'blockedUntil'>>>;
  /** The contact's booked appointments ending after `after`, soonest first. */
  listForContact(businessId: string, contactId: string, after: Date): Promise<Appointment[]>;
  /** The contact's appointment; another contact's is not found. */
  getForContact(businessId: string, contactId: string, id: string): Promise<Appointment | null>;
  /** Moves it (same staff member), claiming the new time; `conflict` when taken. SEQUENCE + 1. */
  reschedule(
    businessId: string,
    id: string,
    times: Pick<Appointment, 'startsAt' | 'endsAt' | 'blockedUntil'>,
  ): Promise<Appointment>;
  /** Cancels it and frees its time. SEQUENCE + 1. */
  cancel(businessId: string, id: string): Promise<Appointment | null>;
  setInvite(businessId: string, id: string, ics: string): Promise<void>;
  /** The current invite of the appointment with this iCalendar UID (any business), for its link. */
  getInviteByUid(uid: string): Promise<{ ics: string; sequence: number } | null>;
  /**
   * Booked appointments with a reminder due at `now` for one of `leadMinutes` and not yet decided:
   * the appointment starts within the lead time, and was booked (or last moved) before the
   * reminder's time, so a booking made an hour ahead gets no "tomorrow" reminder.
   */
  listDueReminders(
    businessId: string,
    now: Date,
    leadMinutes: readonly number[],
  ): Promise<Array<{ appointment: Appointment; leadMinutes: number }>>;
  /**
   * Records the decision about one reminder, once: null when it was already recorded (another
   * process or an earlier run got there first), so the caller writes no message.
   */
  claimReminder(input: {
    businessId: string;
    appointmentId: string;
    leadMinutes: number;
    startsAt: Date;
    status: AppointmentReminderStatus;
    reason: string | null;
  }): Promise<string | null>;
  setReminderMessage(businessId: string, reminderId: string, messageId: string): Promise<void>;
  /** The appointment a reminder message is about; null when the message is no reminder. */
  getByReminderMessage(businessId: string, messageId: string): Promise<Appointment | null>;
}

/**
 * `queued`: its message is in the outbox; `not_sendable`: the channel's rules forbid it now (the
 * reason says why, for the owner); `skipped`: a nearer reminder of the same appointment went.
 */
export type AppointmentReminderStatus = 'queued' | 'not_sendable' | 'skipped';

/** How a business takes bookings (from the `appointments` section of its file). */
export interface AppointmentSettings {
  /** Who (or what: a bench, a room) a service is booked with; `services` empty = all services. */
  staff: Array<{ slug: string; name: string; services: string[] }>;
  /** Closed days, `YYYY-MM-DD` in the business's time zone. */
  holidays: string[];
  /** The earliest a booking may start, from now. */
  minimumNoticeMinutes: number;
  /** How far ahead bookings are taken. */
  horizonDays: number;
  /** Slots start every this many minutes from opening time. */
  slotStepMinutes: number;
  /** Reminders go out this many minutes before each appointment (e.g. 1440 and 120). */
  reminderLeadMinutes?: number[];
}

export const DEFAULT_APPOINTMENT_SETTINGS: AppointmentSettings = {
  staff: [{ slug: 'workshop', name: 'the workshop', services: [] }],
  holidays: [],
  minimumNoticeMinutes: 120,
  horizonDays: 60,
  slotStepMinutes: 15,
};
