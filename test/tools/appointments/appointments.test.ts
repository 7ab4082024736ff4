import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { confirmChoiceId } from '../../../src/core/commerce.js';
import { scriptedModel, toolResultsOf } from '../../support/scripted-model.js';
import { backends } from '../../support/test-database.js';
import {
  choicesOf,
  textOf,
  useBusinessHarness,
  type TestCustomer,
} from '../support/business-harness.js';

// Monday 30 November 2026, 08:00 in London (GMT): minimum notice is 2 hours.
const NOW = '2026-11-30T08:00:00Z';

interface SlotsResult {
  slots: Array<{ start: string; local: string; staff: string }>;
}

describe.each(backends)(
  'appointments: slots, confirmation, invites, no double booking (%s)',
  (backend) => {
    const harness = useBusinessHarness(backend);

    async function slotsFor(
      customer: TestCustomer,
      input: Record<string, unknown>,
    ): Promise<SlotsResult> {
      const conversation = await customer.write('When can I come in?');
      const model = scriptedModel([
        { toolCalls: [{ toolName: 'find_slots', input }] },
        { text: 'Here are some times.' },
      ]);
      await harness.turn(conversation.id, model.binding);
      return toolResultsOf(model.calls[1]!)[0]!.output as SlotsResult;
    }

    function outputOf(result: unknown): SlotsResult {
      const value = result as { type: string; value: SlotsResult };
      return value.type === 'json' ? value.value : (result as SlotsResult);
    }

    async function book(customer: TestCustomer, start: string, service = 'Basic tune-up') {
      const conversation = await customer.write('Book me in please');
      await harness.turn(
        conversation.id,
        scriptedModel([
          { toolCalls: [{ toolName: 'book_appointment', input: { service, start } }] },
          { text: 'Please confirm the booking below.' },
        ]).binding,
      );
      return conversation;
    }

    it('offers times within opening hours, after the notice, skipping holidays, with the right staff', async () => {
      harness.clock.set(NOW);
      const customer = harness.customer();
      const today = outputOf(await slotsFor(customer, { service: 'basic-tune-up', days: 1 }));
      // 08:00 now + 2 hours of notice: the first slot is 10:00, with Sam (he does tune-ups).
      expect(today.slots[0]).toEqual({
        start: '2026-11-30T10:00:00.000Z',
        local: 'Monday, 30 November 2026 at 10:00',
        staff: 'Sam',
      });
      const christmas = outputOf(
        await slotsFor(customer, { service: 'Basic tune-up', fromDate: '2026-12-25', days: 4 }),
      );
      // 25 and 26 December are holidays, 27 is a Sunday (closed).
      expect(christmas.slots[0]!.start).toBe('2026-12-28T09:00:00.000Z');
      const fitting = outputOf(
        await slotsFor(customer, { service: 'Bike fitting', fromDate: '2026-12-01', days: 1 }),
      );
      expect(new Set(fitting.slots.map((slot) => slot.staff))).toEqual(new Set(['Priya']));
    });

    it('books only after confirmation, with an iCalendar REQUEST; reschedules and cancels with the same UID', async () => {
      harness.clock.set(NOW);
      const customer = harness.customer();
      const conversation = await book(customer, '2026-12-01T09:00:00.000Z');
      const offer = await harness.lastReply(conversation.id);
      expect(textOf(offer)).toContain('Please confirm your booking:');
      expect(textOf(offer)).toContain(
        'Basic tune-up with Sam, Tuesday, 1 December 2026 at 09:00 (Europe/London time)',
      );
      expect(textOf(offer)).toContain('Price: £45.00');
      expect(
        await harness.store.appointments.listForContact(
          harness.business.id,
          customer.contactId!,
          new Date(NOW),
        ),
      ).toEqual([]);

      const action = (await harness.store.pendingActions.findOpen(
        harness.business.id,
        conversation.id,
      ))!;
      expect(choicesOf(offer)[0]).toEqual({
        id: confirmChoiceId(action.id),
        title: 'Confirm booking',
      });
      await customer.write([
        { type: 'choice-reply', choiceId: confirmChoiceId(action.id), title: 'Confirm booking' },
      ]);
      await harness.turn(conversation.id, scriptedModel([]).binding);
      expect(textOf(await harness.lastReply(conversation.id))).toContain("You're booked");
      const [booked] = await harness.store.appointments.listForContact(
        harness.business.id,
        customer.contactId!,
        new Date(NOW),
      );
      expect(booked).toMatchObject({ status: 'booked', staffSlug: 'sam', sequence: 0 });

      const request = parseInvite(booked!.inviteIcs!);
      expect(request.method).toBe('REQUEST');
      expect(request.uid).toBe(booked!.uid);
      expect(request.sequence).toBe(0);
      expect(request.tzid).toBe('Europe/London');
      expect(request.hasTimezone).toBe(true);
      expect(request.start).toBe('2026-12-01T09:00:00');
      expect(request.attendees).toBe(1);

      // Move it to 14:30 the same day.
      await customer.write('Can I come at 14:30 instead?');
      await harness.turn(
        conversation.id,
        scriptedModel([
          {
            toolCalls: [
              {
                toolName: 'reschedule_appointment',
                input: { appointmentId: booked!.id, newStart: '2026-12-01T14:30:00Z' },
              },
            ],
          },
          { text: 'Please confirm the new time below.' },
        ]).binding,
      );
      await customer.write('yes');
      await harness.turn(conversation.id, scriptedModel([]).binding);
      const moved = (await harness.store.appointments.getForContact(
        harness.business.id,
        customer.contactId!,
        booked!.id,
      ))!;
      const update = parseInvite(moved.inviteIcs!);
      expect(update).toMatchObject({
        method: 'REQUEST',
        uid: booked!.uid,
        sequence: 1,
        start: '2026-12-01T14:30:00',
      });

      await customer.write('Actually cancel it');
      await harness.turn(
        conversation.id,
        scriptedModel([
          { toolCalls: [{ toolName: 'cancel_appointment', input: { appointmentId: booked!.id } }] },
          { text: 'Please confirm below.' },
        ]).binding,
      );
      await customer.write('yes');
      await harness.turn(conversation.id, scriptedModel([]).binding);
      const cancelled = (await harness.store.appointments.getForContact(
        harness.business.id,
        customer.contactId!,
        booked!.id,
      ))!;
      expect(cancelled.status).toBe('cancelled');
      expect(parseInvite(cancelled.inviteIcs!)).toMatchObject({
        method: 'CANCEL',
        uid: booked!.uid,
        sequence: 2,
        status: 'CANCELLED',
      });
      // The time is free again.
      const busy = await harness.store.appointments.listBusy(
        harness.business.id,
        new Date('2026-12-01T14:30:00Z'),
        new Date('2026-12-01T15:45:00Z'),
      );
      expect(busy).toEqual([]);
    });

    it('never double-books: two customers confirming the same time at once, one wins', async () => {
      harness.clock.set(NOW);
      const first = harness.customer();
      const second = harness.customer();
      const start = '2026-12-02T11:00:00.000Z';
      const one = await book(first, start);
      const two = await book(second, start);
      await first.write('yes');
      await second.write('yes');
      const claimOne = await harness.store.conversations.claimPendingTurn(
        new Date(NOW),
        new Date(Date.parse(NOW) + 60_000),
      );
      const claimTwo = await harness.store.conversations.claimPendingTurn(
        new Date(NOW),
        new Date(Date.parse(NOW) + 60_000),
      );
      expect(new Set([claimOne!.id, claimTwo!.id])).toEqual(new Set([one.id, two.id]));
      const { runAgentTurn } = await import('../../../src/agent/run-agent-turn.js');
      await Promise.all([
        runAgentTurn(harness.deps(scriptedModel([]).binding), claimOne!),
        runAgentTurn(harness.deps(scriptedModel([]).binding), claimTwo!),
      ]);
      const replies = [
        textOf(await harness.lastReply(one.id)),
        textOf(await harness.lastReply(two.id)),
      ];
      expect(replies.filter((text) => text.includes("You're booked"))).toHaveLength(1);
      expect(replies.filter((text) => text.includes('just been taken'))).toHaveLength(1);
      const busy = await harness.store.appointments.listBusy(
        harness.business.id,
        new Date(start),
        new Date(Date.parse(start) + 1),
      );
      expect(busy).toHaveLength(1);
    });

    it('holds under many concurrent bookings of overlapping times in the database itself', async () => {
      const contact = await harness.store.contacts.findOrCreateByIdentity(
        harness.business.id,
        { channel: 'web', externalId: `visitor-race-${backend}` },
        {},
      );
      const base = Date.parse('2026-12-03T13:00:00Z');
      const attempts = Array.from({ length: 8 }, (_, index) =>
        harness.store.transaction((tx) =>
          tx.appointments.book({
            businessId: harness.business.id,
            contactId: contact.id,
            conversationId: null,
            serviceSlug: 'basic-tune-up',
            serviceName: 'Basic tune-up',
            staffSlug: 'sam',
            staffName: 'Sam',
            priceMinor: 4_500,
            uid: `race-${backend}-${index}@test`,
            // Starts 0, 5, 10… minutes apart: every pair overlaps.
            startsAt: new Date(base + index * 5 * 60_000),
            endsAt: new Date(base + index * 5 * 60_000 + 60 * 60_000),
            blockedUntil: new Date(base + index * 5 * 60_000 + 75 * 60_000),
          }),
        ),
      );
      const results = await Promise.allSettled(attempts);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(String(result.reason)).toMatch(/just been taken/);
      }
    });

    it('refuses other customers’ appointments and times that are not free slots', async () => {
      harness.clock.set(NOW);
      const owner = harness.customer();
      const ownerConversation = await book(owner, '2026-12-04T10:00:00.000Z');
      await owner.write('yes');
      await harness.turn(ownerConversation.id, scriptedModel([]).binding);
      const [appointment] = await harness.store.appointments.listForContact(
        harness.business.id,
        owner.contactId!,
        new Date(NOW),
      );

      const attacker = harness.customer();
      const conversation = await attacker.write('cancel appointment');
      const model = scriptedModel([
        {
          toolCalls: [
            { toolName: 'cancel_appointment', input: { appointmentId: appointment!.id } },
            {
              toolName: 'reschedule_appointment',
              input: { appointmentId: appointment!.id, newStart: '2026-12-04T15:00:00Z' },
            },
            {
              toolName: 'book_appointment',
              input: { service: 'Basic tune-up', start: '2026-11-30T08:30:00Z' },
            },
            {
              toolName: 'book_appointment',
              input: { service: 'Basic tune-up', start: '2027-06-01T09:00:00Z' },
            },
            {
              toolName: 'book_appointment',
              input: { service: 'Basic tune-up', start: '2026-12-01T09:07:00Z' },
            },
            {
              toolName: 'book_appointment',
              input: { service: 'Basic tune-up', start: '2026-12-06T10:00:00Z' },
            },
            {
              toolName: 'book_appointment',
              input: { service: 'Basic tune-up', start: '2026-12-04T10:00:00Z', staff: 'sam' },
            },
          ],
        },
        { text: 'Sorry.' },
      ]);
      await harness.turn(conversation.id, model.binding);
      const steps = (
        await harness.store.agentSteps.listForConversation(harness.business.id, conversation.id)
      ).filter((step) => step.kind === 'tool');
      expect(steps.map((step) => (step.kind === 'tool' ? step.error !== null : false))).toEqual(
        Array(7).fill(true),
      );
      expect(
        await harness.store.pendingActions.findOpen(harness.business.id, conversation.id),
      ).toBeNull();
      const still = (await harness.store.appointments.getForContact(
        harness.business.id,
        owner.contactId!,
        appointment!.id,
      ))!;
      expect(still).toMatchObject({ status: 'booked', sequence: 0 });
    });
  },
);

function parseInvite(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const event = calendar.getFirstSubcomponent('vevent')!;
  const start = event.getFirstProperty('dtstart')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: Number(event.getFirstPropertyValue('sequence') ?? 0),
    status: event.getFirstPropertyValue('status'),
    tzid: start.getParameter('tzid'),
    hasTimezone: calendar.getAllSubcomponents('vtimezone').length === 1,
    start: (start.getFirstValue() as ICAL.Time).toString(),
    attendees: event.getAllProperties('attendee').length,
  };
}
