import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig, parseBusinessConfig } from '../../src/config/load-business-config.js';
import { ManualClock } from '../../src/core/clock.js';
import { queueAppointmentReminders } from '../../src/tools/appointments/queue-appointment-reminders.js';
import { contactEntry, inbound, whatsappWebhook } from '../channels/fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import {
  META,
  demoConfigWithMeta,
  startMetaParley,
  type MetaParley,
} from '../channels/support/meta-parley.js';
import { backends } from '../support/test-database.js';

const HOUR = 60 * 60_000;
// The customer last wrote on Monday 30 November 2026 at 08:00 (London is on GMT).
const WROTE = '2026-11-30T08:00:00Z';
// Their appointment is on Thursday 3 December at 14:30; the 24-hour reminder is due on Wednesday.
const STARTS = new Date('2026-12-03T14:30:00Z');

test('channels.whatsapp.templates.appointmentReminder is read from the business file', () => {
  const whatsapp = (templates: string) =>
    parseBusinessConfig(
      `business:\n  slug: bakery\n  name: Bakery\n  timezone: Europe/Paris\n  currency: EUR\nchannels:\n  whatsapp:\n    phoneNumberId: "106540352242922"\n    accessToken: t\n    appSecret: s\n    verifyToken: v\n${templates}`,
      'bakery.yaml',
      {},
    ).channels.whatsapp;
  expect(
    whatsapp('    templates:\n      appointmentReminder: { name: rdv_rappel, language: fr }\n')
      ?.appointmentReminderTemplate,
  ).toEqual({ name: 'rdv_rappel', language: 'fr' });
  expect(whatsapp('')?.appointmentReminderTemplate).toBeUndefined();
  expect(() =>
    whatsapp('    templates:\n      appointmentReminder: { name: rdv_rappel, language: French }\n'),
  ).toThrow(/not a template language code/);
});

describe.each(backends)(
  'WhatsApp appointment reminders outside the 24-hour window (%s)',
  (backend) => {
    let meta: MetaParley;
    const clock = new ManualClock(WROTE);
    let slot = 0;

    beforeAll(async () => {
      const config = demoConfigWithMeta(await loadBusinessConfig(DEMO_CONFIG_PATH, {}));
      meta = await startMetaParley({
        backend,
        clock,
        overrides: {
          config: {
            ...config,
            // The test runs the reminders itself, at the times it sets.
            businessTools: {
              ...config.businessTools!,
              appointments: { ...config.businessTools!.appointments, reminderLeadMinutes: [] },
            },
            channels: {
              ...config.channels,
              whatsapp: {
                ...config.channels.whatsapp!,
                appointmentReminderTemplate: { name: 'appointment_reminder', language: 'en_GB' },
              },
            },
          },
        },
      });
    });
    afterAll(() => meta?.stop());

    /** A WhatsApp customer who wrote at WROTE, booked for STARTS (another staff member each time). */
    async function customerWithAppointment(waId: string) {
      clock.set(WROTE);
      await meta.post(
        'whatsapp',
        whatsappWebhook({
          contacts: [contactEntry({ waId, userId: `US.${waId}`, name: 'Ama' })],
          messages: [
            inbound(
              'text',
              { text: { body: 'Hello' } },
              {
                from: waId,
                from_user_id: `US.${waId}`,
                timestamp: String(Math.floor(clock.now().getTime() / 1000)),
              },
            ),
          ],
        }),
      );
      await meta.drained();
      const { store, business } = meta.parley;
      const contact = await eventually('the contact', () =>
        store.contacts.findByIdentity(business.id, { channel: 'whatsapp', externalId: waId }),
      );
      const conversation = await store.conversations.findOrOpen(
        business.id,
        contact!.id,
        'whatsapp',
      );
      return store.transaction((tx) =>
        tx.appointments.book({
          businessId: business.id,
          contactId: contact!.id,
          conversationId: conversation.id,
          serviceSlug: 'basic-tune-up',
          serviceName: 'Basic tune-up',
          staffSlug: `staff-${backend}-${slot++}`,
          staffName: 'Sam',
          priceMinor: 4_500,
          uid: `reminder-template-${backend}-${slot}@test`,
          startsAt: STARTS,
          endsAt: new Date(STARTS.getTime() + HOUR),
          blockedUntil: new Date(STARTS.getTime() + HOUR),
        }),
      );
    }

    it('sends the configured template with the service, date and time in the business time zone', async () => {
      await customerWithAppointment('447700900111');
      // Wednesday 2 December, 15:00: the customer last wrote two days ago.
      clock.set(new Date(STARTS.getTime() - 24 * HOUR + 30 * 60_000));
      const { store, business } = meta.parley;
      const run = await queueAppointmentReminders({ store, clock }, business, {
        reminderLeadMinutes: [24 * 60],
        whatsappReminderTemplate: true,
      });
      expect(run).toMatchObject({ queued: 1, notSendable: 0 });
      const sent = await meta.graph.waitFor(
        (request) => request.body?.type === 'template' && request.body.to === '+447700900111',
        30_000,
      );
      expect(sent.path).toBe(`${META.phoneNumberId}/messages`);
      expect(sent.body!.template).toEqual({
        name: 'appointment_reminder',
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Basic tune-up' },
              { type: 'text', text: 'Thursday, 3 December 2026' },
              { type: 'text', text: '14:30' },
            ],
          },
        ],
      });
      // No free text went outside the window, and the reminder counts as sent.
      expect(
        meta.graph
          .sends()
          .filter((request) => request.body?.to === '+447700900111' && request.body.type === 'text')
          .map((request) => JSON.stringify(request.body)),
      ).not.toContainEqual(expect.stringContaining('Reminder:'));
      const reminder = await eventually('the reminder to be marked sent', async () => {
        const messages = await meta.messagesOf('whatsapp', '447700900111');
        const found = messages.find((message) => message.author === 'system');
        return found?.status === 'sent' ? found : undefined;
      });
      expect(reminder.text).toContain('Reminder: your appointment is coming up');
    });

    it('without a template the reminder stays not sendable, with what to configure', async () => {
      const appointment = await customerWithAppointment('447700900222');
      clock.set(new Date(STARTS.getTime() - 24 * HOUR + 30 * 60_000));
      const { store, business } = meta.parley;
      const run = await queueAppointmentReminders({ store, clock }, business, {
        reminderLeadMinutes: [24 * 60],
      });
      expect(run).toMatchObject({ queued: 0, notSendable: 1 });
      const audit = await store.audit.list(business.id, { subjectId: appointment.id });
      expect(JSON.stringify(audit)).toContain('channels.whatsapp.templates.appointmentReminder');
    });
  },
);
