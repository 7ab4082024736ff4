import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../../src/core/clock.js';
import type { ChannelKind } from '../../../src/core/channel.js';
import type { LiveEvents } from '../../../src/core/live-events.js';
import type { MessageAuthor } from '../../../src/core/message.js';
import { changeConversationHolder } from '../../../src/inbox/change-conversation-holder.js';
import type { Database } from '../../../src/store/database.js';
import { createDrizzleStore } from '../../../src/store/drizzle-store.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Four conversations of a business, written through the store and the inbox's own use-case at
 * exact times (`day` is a UTC date; the business is in Europe/London, so in summer 23:30 UTC is the
 * next local day):
 *
 * - whatsapp, day 10:00: agent answers in 30 s, the owner resolves it 10 min after it opened;
 * - web, day 11:00: agent answers in 90 s, the person-request rule hands it off, a person takes
 *   over and resolves it an hour after it opened;
 * - instagram, day 23:30 UTC (next local day): agent answers in 10 s, still open;
 * - messenger, next day 10:00: no agent answer, a person takes over (no rule), answers 120 s after
 *   the customer wrote, resolves it 30 min after it opened.
 *
 * Expected: resolved by the agent 1, handed off 2 (personRequest 1, takeOver 1); first responses
 * 10/30/90 s by the agent, 120 s by a person (median 60, agent 30, person 120); resolutions
 * 600/3600/1800 s (median 1800).
 */
export async function seedAnalytics(input: {
  db: Database;
  live: LiveEvents;
  businessId: string;
  personUserId: string;
  day: string;
}): Promise<void> {
  const clock = new ManualClock(`${input.day}T00:00:00Z`);
  const store = createDrizzleStore(input.db, { clock });
  const deps = { store, live: input.live, clock };
  const base = new Date(`${input.day}T00:00:00Z`).getTime();
  const at = (offset: number) => clock.set(new Date(base + offset));
  const person = { kind: 'user' as const, userId: input.personUserId, name: 'Sam' };
  const { businessId } = input;

  async function open(channel: ChannelKind) {
    const contact = await store.contacts.findOrCreateByIdentity(
      businessId,
      { channel, externalId: `analytics-${randomUUID()}` },
      {},
    );
    return store.conversations.findOrOpen(businessId, contact.id, channel);
  }
  async function write(
    conversationId: string,
    channel: ChannelKind,
    author: MessageAuthor,
    text: string,
  ) {
    const { message } = await store.messages.insert({
      businessId,
      conversationId,
      channel,
      direction: author === 'customer' ? 'inbound' : 'outbound',
      author,
      authorUserId: author === 'person' ? input.personUserId : null,
      parts: [{ type: 'text', text }],
      status: author === 'customer' ? 'received' : 'sent',
    });
    // The agent's replies here are written by hand: no turn is owed to the running turn worker.
    await store.conversations.noteMessage(businessId, conversationId, message, {
      owesTurn: false,
    });
  }
  const change = (conversationId: string, what: 'take-over' | 'resolve') =>
    changeConversationHolder(deps, {
      businessId,
      conversationId,
      change: what,
      actor: person,
    });

  // Resolved by the agent.
  at(10 * 60 * MINUTE);
  const whatsapp = await open('whatsapp');
  await write(whatsapp.id, 'whatsapp', 'customer', 'Do you open on Sundays?');
  at(10 * 60 * MINUTE + 30 * SECOND);
  await write(whatsapp.id, 'whatsapp', 'agent', 'Yes, 10 to 4.');
  at(10 * 60 * MINUTE + 10 * MINUTE);
  await change(whatsapp.id, 'resolve');

  // Handed off by the person-request rule.
  at(11 * 60 * MINUTE);
  const web = await open('web');
  await write(web.id, 'web', 'customer', 'Hi, my order is late');
  at(11 * 60 * MINUTE + 90 * SECOND);
  await write(web.id, 'web', 'agent', 'Sorry to hear that, which order?');
  at(11 * 60 * MINUTE + 3 * MINUTE);
  await write(web.id, 'web', 'customer', 'Let me talk to a human please');
  await store.handoffDecisions.insertMany(businessId, web.id, randomUUID(), [
    {
      phase: 'before',
      trigger: 'frustration',
      fired: false,
      action: 'handoff',
      evidence: 'score 0.2',
      deciding: false,
    },
    {
      phase: 'before',
      trigger: 'personRequest',
      fired: true,
      action: 'handoff',
      evidence: '"talk to a human" matched person request',
      deciding: true,
    },
  ]);
  await store.conversations.transition(businessId, web.id, {
    from: ['agent'],
    to: 'waiting_for_person',
    handoffReason: 'customer asked for a person',
  });
  at(11 * 60 * MINUTE + 5 * MINUTE);
  await change(web.id, 'take-over');
  at(11 * 60 * MINUTE + 6 * MINUTE);
  await write(web.id, 'web', 'person', 'Hi, Sam here, let me check.');
  at(12 * 60 * MINUTE);
  await change(web.id, 'resolve');

  // Open, answered by the agent; the next local day in London.
  at(23 * 60 * MINUTE + 30 * MINUTE);
  const instagram = await open('instagram');
  await write(instagram.id, 'instagram', 'customer', 'Cute helmet! Price?');
  at(23 * 60 * MINUTE + 30 * MINUTE + 10 * SECOND);
  await write(instagram.id, 'instagram', 'agent', 'It is 49 pounds.');

  // Taken over by a person without a rule firing.
  const nextDay = 24 * 60 * MINUTE;
  at(nextDay + 10 * 60 * MINUTE);
  const messenger = await open('messenger');
  await write(messenger.id, 'messenger', 'customer', 'Can I return a bike?');
  at(nextDay + 10 * 60 * MINUTE + MINUTE);
  await change(messenger.id, 'take-over');
  at(nextDay + 10 * 60 * MINUTE + 2 * MINUTE);
  await write(messenger.id, 'messenger', 'person', 'Of course, within 30 days.');
  at(nextDay + 10 * 60 * MINUTE + 30 * MINUTE);
  await change(messenger.id, 'resolve');
}

/** The next day of a `YYYY-MM-DD` date. */
export function nextDay(day: string): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + 24 * 60 * MINUTE)
    .toISOString()
    .slice(0, 10);
}
