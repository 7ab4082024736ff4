import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { openWidgetVisitor, type WidgetVisitor } from '../agent/widget-visitor.js';
import { generateResult, scriptedModel } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';

// Monday 30 November 2026, 08:00 in London; the demo shop's minimum notice is 2 hours.
const NOW = '2026-11-30T08:00:00Z';
const PUBLIC_URL = 'https://chat.northside.example';

interface WireMessage {
  author: string;
  parts: Array<Record<string, unknown>>;
}

describe.each(backends)('a confirmation carries the calendar invite (web chat, %s)', (backend) => {
  let parley: TestParley;
  let visitor: WidgetVisitor;
  let appointmentId = '';

  const callTool = (toolName: string, input: () => Record<string, unknown>) => () =>
    Promise.resolve(
      generateResult(
        [{ type: 'tool-call', toolCallId: toolName, toolName, input: JSON.stringify(input()) }],
        'tool-calls',
      ),
    );

  beforeAll(async () => {
    const model = scriptedModel([
      {
        toolCalls: [
          {
            toolName: 'book_appointment',
            input: { service: 'Basic tune-up', start: '2026-12-01T09:00:00.000Z' },
          },
        ],
      },
      { text: 'Please confirm the booking below.' },
      callTool('reschedule_appointment', () => ({
        appointmentId,
        newStart: '2026-12-01T14:30:00Z',
      })),
      { text: 'Please confirm the new time below.' },
      callTool('cancel_appointment', () => ({ appointmentId })),
      { text: 'Please confirm below.' },
    ]);
    parley = await startTestParley({
      backend,
      model: model.binding,
      env: { PARLEY_PUBLIC_URL: PUBLIC_URL },
      overrides: { clock: new ManualClock(NOW) },
    });
    visitor = await openWidgetVisitor(parley);
  });
  afterAll(() => parley?.stop());

  /** Waits for the agent's `count`th message in the visitor's history. */
  async function agentMessage(count: number): Promise<WireMessage> {
    const messages = await visitor.waitForAgentMessages(count);
    return messages[count - 1] as unknown as WireMessage;
  }

  async function confirm(count: number): Promise<void> {
    const offer = await agentMessage(count);
    const choices = offer.parts.find((part) => part.type === 'choices') as
      { choices: Array<{ id: string; title: string }> } | undefined;
    expect(choices, JSON.stringify(offer.parts)).toBeDefined();
    await visitor.choose(choices!.choices[0]!.id, choices!.choices[0]!.title);
  }

  async function inviteOf(message: WireMessage) {
    const part = message.parts.find((candidate) => candidate.type === 'media') as
      { providerUrl: string; mimeType: string; filename: string; kind: string } | undefined;
    expect(part, JSON.stringify(message.parts)).toBeDefined();
    expect(part).toMatchObject({ kind: 'document', mimeType: 'text/calendar' });
    expect(part!.providerUrl.startsWith(`${PUBLIC_URL}/api/invites/`)).toBe(true);
    // The link is served by Parley itself: fetch its path from the running server.
    const response = await fetch(`${parley.baseUrl}${new URL(part!.providerUrl).pathname}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await response.text()) as unknown[]);
    const event = calendar.getFirstSubcomponent('vevent')!;
    return {
      filename: part!.filename,
      method: calendar.getFirstPropertyValue('method'),
      uid: event.getFirstPropertyValue('uid'),
      sequence: Number(event.getFirstPropertyValue('sequence') ?? 0),
      start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toString(),
    };
  }

  it('books, moves and cancels with a link to the current invite: same UID, SEQUENCE up, CANCEL at the end', async () => {
    await visitor.send('Book me in for a tune-up tomorrow at 9 please');
    await confirm(1);
    const booked = await agentMessage(2);
    expect(JSON.stringify(booked.parts)).toContain("You're booked");
    const request = await inviteOf(booked);
    expect(request).toMatchObject({ method: 'REQUEST', sequence: 0, start: '2026-12-01T09:00:00' });
    const [contact] = await visitor.conversations();
    const [appointment] = await parley.store.appointments.listForContact(
      parley.business.id,
      contact!.contactId,
      new Date(NOW),
    );
    expect(appointment!.uid).toBe(request.uid);
    appointmentId = appointment!.id;

    await visitor.send('Can I come at 14:30 instead?');
    await confirm(3);
    const moved = await inviteOf(await agentMessage(4));
    expect(moved).toMatchObject({
      method: 'REQUEST',
      uid: request.uid,
      sequence: 1,
      start: '2026-12-01T14:30:00',
    });

    await visitor.send('Actually cancel it');
    await confirm(5);
    const cancelled = await inviteOf(await agentMessage(6));
    expect(cancelled).toMatchObject({ method: 'CANCEL', uid: request.uid, sequence: 2 });
    expect(cancelled.filename).toBe('cancelled-appointment.ics');

    // An invite nobody was sent is not found; a malformed name is refused.
    const unknown = await fetch(
      `${parley.baseUrl}/api/invites/${encodeURIComponent('00000000-0000-4000-8000-000000000000@northside.example')}.ics`,
    );
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${parley.baseUrl}/api/invites/everything.ics`);
    expect(malformed.status).toBe(400);
  });
});
