import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { syncBusinessConfig } from '../../src/config/sync-business-config.js';
import type { Appointment } from '../../src/core/appointments.js';
import type { Business } from '../../src/core/business.js';
import type { ChannelKind } from '../../src/core/channel.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { queueAppointmentReminders } from '../../src/tools/appointments/queue-appointment-reminders.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

const HOUR = 60 * 60_000;

describe.each(backends)('appointment reminders (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  let business: Business;
  let now = new Date('2026-12-01T08:00:00Z');
  const clock = { now: () => now };
  let slot = 0;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = createDrizzleStore(database.db, { clock });
    business = await syncBusinessConfig(store, await loadBusinessConfig(DEMO_CONFIG_PATH, {}));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  /** Books an appointment at `startsAt` for a new contact on `channel`, as of the clock's now. */
  async function booked(startsAt: Date, channel: ChannelKind = 'web') {
    const contact = await store.contacts.findOrCreateByIdentity(
      business.id,
      {
        channel,
        externalId: `${channel === 'whatsapp' ? '4477009' : 'visitor-'}${slot}${backend.length}`,
      },
      {},
    );
    const conversation = await store.conversations.findOrOpen(business.id, contact.id, channel);
    const appointment = await store.transaction((tx) =>
      tx.appointments.book({
        businessId: business.id,
        contactId: contact.id,
        conversationId: conversation.id,
        serviceSlug: 'basic-tune-up',
        serviceName: 'Basic tune-up',
        staffSlug: `staff-${slot++}`,
        staffName: 'Sam',
        priceMinor: 4_500,
        uid: `reminder-${backend}-${slot}@test`,
        startsAt,
        endsAt: new Date(startsAt.getTime() + HOUR),
        blockedUntil: new Date(startsAt.getTime() + HOUR),
      }),
    );
    return { appointment, conversation, contact };
  }

  async function reminders(appointment: Appointment) {
    const messages = await store.messages.listForConversation(
      business.id,
      appointment.conversationId!,
    );
    return messages.filter((message) =>
      message.parts.some((part) => part.type === 'text' && part.text.startsWith('Reminder:')),
    );
  }

  const run = () => queueAppointmentReminders({ store, clock }, business, {});

  it('sends the 24-hour and the 2-hour reminder once each, through the outbox', async () => {
    now = new Date('2026-12-01T08:00:00Z');
    const { appointment } = await booked(new Date('2026-12-03T10:00:00Z'));
    now = new Date('2026-12-02T09:00:00Z'); // 25 h before: nothing yet
    expect(await run()).toEqual({ queued: 0, notSendable: 0, skipped: 0 });
    now = new Date('2026-12-02T10:30:00Z'); // 23.5 h before
    expect(await run()).toMatchObject({ queued: 1 });
    expect(await run()).toMatchObject({ queued: 0 }); // a second run (or process) adds nothing
    const [first] = await reminders(appointment);
    expect(first).toMatchObject({ author: 'system', direction: 'outbound', status: 'pending' });
    expect(first!.parts[0]).toEqual({
      type: 'text',
      text: 'Reminder: your appointment is coming up: Basic tune-up with Sam, Thursday, 3 December 2026 at 10:00 (Europe/London time). If you need to change or cancel it, just reply here.',
    });
    expect(await store.outbox.pendingCount()).toBeGreaterThanOrEqual(1);
    now = new Date('2026-12-03T08:30:00Z'); // 1.5 h before
    expect(await run()).toMatchObject({ queued: 1 });
    expect(await run()).toMatchObject({ queued: 0 });
    expect(await reminders(appointment)).toHaveLength(2);
    now = new Date('2026-12-03T10:30:00Z'); // started: nothing more
    expect(await run()).toMatchObject({ queued: 0 });
  });

  it('never reminds a cancelled appointment or the old time of a moved one', async () => {
    now = new Date('2026-12-01T08:00:00Z');
    const cancelled = await booked(new Date('2026-12-04T10:00:00Z'));
    const moved = await booked(new Date('2026-12-04T12:00:00Z'));
    await store.transaction((tx) => tx.appointments.cancel(business.id, cancelled.appointment.id));
    await store.transaction((tx) =>
      tx.appointments.reschedule(business.id, moved.appointment.id, {
        startsAt: new Date('2026-12-06T12:00:00Z'),
        endsAt: new Date('2026-12-06T13:00:00Z'),
        blockedUntil: new Date('2026-12-06T13:00:00Z'),
      }),
    );
    now = new Date('2026-12-03T13:00:00Z'); // 23 h before the old times
    await run();
    expect(await reminders(cancelled.appointment)).toEqual([]);
    expect(await reminders(moved.appointment)).toEqual([]);
    now = new Date('2026-12-05T13:00:00Z'); // 23 h before the new time
    await run();
    expect(await reminders(moved.appointment)).toHaveLength(1);
  });

  it('after an outage sends only the nearest reminder; a late booking gets none for times already past', async () => {
    now = new Date('2026-12-01T08:00:00Z');
    const missed = await booked(new Date('2026-12-08T10:00:00Z'));
    now = new Date('2026-12-08T09:00:00Z'); // both lead times due at once
    const result = await run();
    expect(result.queued).toBeGreaterThanOrEqual(1);
    expect(result.skipped).toBeGreaterThanOrEqual(1);
    expect(await reminders(missed.appointment)).toHaveLength(1);
    const late = await booked(new Date('2026-12-08T10:30:00Z')); // booked 1.5 h ahead
    await run();
    expect(await reminders(late.appointment)).toEqual([]);
  });

  it('records a WhatsApp reminder outside the 24-hour window as not sendable, for the owner', async () => {
    now = new Date('2026-12-01T08:00:00Z');
    const { appointment, contact } = await booked(new Date('2026-12-10T10:00:00Z'), 'whatsapp');
    await store.customerWindows.noteCustomerMessage(business.id, contact.id, 'whatsapp', now);
    now = new Date('2026-12-09T11:00:00Z');
    expect(await run()).toMatchObject({ notSendable: 1 });
    expect(await reminders(appointment)).toEqual([]);
    const audit = await store.audit.list(business.id, { subjectId: appointment.id });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'appointment.reminder-not-sendable',
        details: expect.objectContaining({
          reason: expect.stringContaining('only an approved template') as string,
        }) as Record<string, unknown>,
      }),
    ]);
    // The owner sees it in the thread, as an internal note that says what to do.
    const notes = await store.conversationNotes.listForConversation(
      business.id,
      appointment.conversationId!,
    );
    expect(notes).toEqual([
      expect.objectContaining({
        authorName: 'Parley',
        authorUserId: null,
        text: expect.stringMatching(
          /^The 24-hour reminder for Basic tune-up .* was not sent\. The customer has not written on WhatsApp in the last 24 hours.*appointmentReminder/,
        ) as string,
      }),
    ]);
    // The customer writes: the 2-hour reminder may go.
    now = new Date('2026-12-10T07:00:00Z');
    await store.customerWindows.noteCustomerMessage(business.id, contact.id, 'whatsapp', now);
    now = new Date('2026-12-10T08:30:00Z');
    expect(await run()).toMatchObject({ queued: 1 });
    expect(await reminders(appointment)).toHaveLength(1);
  });
});
