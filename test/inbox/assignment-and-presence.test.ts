import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createInProcessPresence } from '../../src/core/presence.js';
import { assignRoundRobin } from '../../src/inbox/assign-round-robin.js';
import { fillCannedReply, unknownPlaceholders } from '../../src/inbox/fill-canned-reply.js';
import { normaliseTag } from '../../src/inbox/change-conversation-tags.js';
import { backends } from '../support/test-database.js';
import { useAgentHarness, type AgentHarness } from '../agent/agent-harness.js';

async function staffMember(harness: AgentHarness, name: string, role: 'staff' | 'owner' = 'staff') {
  return harness.store.users.create({
    businessId: harness.business.id,
    email: `${randomUUID()}@northside.test`,
    name,
    role,
    passwordHash: 'not-used-here',
  });
}

describe('presence within one process', () => {
  it('counts open streams and recent heartbeats, and forgets a heartbeat after its window', () => {
    const clock = new ManualClock();
    const presence = createInProcessPresence(clock, { heartbeatMs: 60_000 });
    const leaveFirst = presence.connect('b1', 'alex');
    const leaveSecond = presence.connect('b1', 'alex');
    presence.heartbeat('b1', 'kim');
    presence.connect('b2', 'other');
    expect(presence.online('b1').sort()).toEqual(['alex', 'kim']);

    leaveFirst();
    leaveFirst(); // closing twice must not count twice
    expect(presence.online('b1')).toContain('alex');
    leaveSecond();
    expect(presence.online('b1')).toEqual(['kim']);
    clock.advance(60_001);
    expect(presence.online('b1')).toEqual([]);
    expect(presence.online('b2')).toEqual(['other']);
  });
});

describe('canned reply placeholders and tags', () => {
  it('fills known placeholders, uses fallbacks for blanks, and names unknown ones', () => {
    const body =
      'Hi {{ contact.firstName | there }}! {{user.name}} of {{business.name}}. {{contact.email}}';
    expect(
      fillCannedReply(body, {
        contact: { name: 'Priya Raman', phone: null, email: null },
        businessName: 'Northside Cycles',
        userName: 'Sam Rivera',
      }),
    ).toBe('Hi Priya! Sam Rivera of Northside Cycles. ');
    expect(
      fillCannedReply(body, { contact: null, businessName: 'Northside Cycles', userName: null }),
    ).toBe('Hi there!  of Northside Cycles. ');
    expect(unknownPlaceholders('{{contact.name}} {{order.total}} {{contact.nmae}}')).toEqual([
      'order.total',
      'contact.nmae',
    ]);
  });

  it('normalises tags and refuses what cannot be one', () => {
    expect(normaliseTag('  VIP   Customer ')).toBe('vip customer');
    expect(normaliseTag('Réclamation')).toBe('réclamation');
    expect(() => normaliseTag('   ')).toThrow('empty');
    expect(() => normaliseTag('-leading')).toThrow('cannot be a tag');
    expect(() => normaliseTag('x'.repeat(41))).toThrow('cannot be a tag');
  });
});

describe.each(backends)('round-robin assignment on %s', (backend) => {
  const harness = useAgentHarness(backend);

  async function waiting(): Promise<string> {
    const { conversation } = await harness.customer().write('Can I speak to someone?');
    const moved = await harness.store.conversations.transition(
      harness.business.id,
      conversation.id,
      {
        from: ['agent'],
        to: 'waiting_for_person',
        handoffReason: 'test',
      },
    );
    expect(moved?.waitingSince).toBeInstanceOf(Date);
    return conversation.id;
  }

  it('rotates among online staff, least recently assigned first; never the owner; leaves it unassigned when none is online', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const presence = createInProcessPresence(clock, { heartbeatMs: 60_000 });
    const deps = { ...harness.inbox, clock, presence };
    const ada = await staffMember(harness, 'Ada');
    const ben = await staffMember(harness, 'Ben');
    const cy = await staffMember(harness, 'Cy');
    const boss = await staffMember(harness, 'Boss', 'owner');
    for (const user of [ada, ben, boss]) presence.connect(harness.business.id, user.id);

    const assign = async () => {
      clock.advance(1_000);
      const id = await waiting();
      return (await assignRoundRobin(deps, { businessId: harness.business.id, conversationId: id }))
        ?.assignedUserId;
    };
    const firstTwo = [await assign(), await assign()];
    expect(new Set(firstTwo)).toEqual(new Set([ada.id, ben.id]));
    // Cy comes online: never assigned, so Cy is next; then the rotation continues.
    presence.heartbeat(harness.business.id, cy.id);
    expect(await assign()).toBe(cy.id);
    expect(await assign()).toBe(firstTwo[0]);
    expect(await assign()).toBe(firstTwo[1]);
    // Cy's heartbeat has lapsed: Cy is skipped.
    clock.advance(120_000);
    expect(await assign()).toBe(firstTwo[0]);

    const nobody = createInProcessPresence(clock, { heartbeatMs: 60_000 });
    const id = await waiting();
    expect(
      await assignRoundRobin(
        { ...deps, presence: nobody },
        { businessId: harness.business.id, conversationId: id },
      ),
    ).toBeNull();
    const views = await harness.store.inbox.countViews(harness.business.id, null, {});
    const unassigned = await harness.store.inbox.search(harness.business.id, null, {
      view: 'unassigned',
    });
    expect(unassigned.map((conversation) => conversation.id)).toContain(id);
    expect(views.waiting.conversations).toBeGreaterThanOrEqual(1);
  });

  it('does not assign a conversation someone already took or that is no longer waiting', async () => {
    const clock = new ManualClock();
    const presence = createInProcessPresence(clock, { heartbeatMs: 60_000 });
    const dee = await staffMember(harness, 'Dee');
    presence.connect(harness.business.id, dee.id);
    const id = await waiting();
    await harness.store.conversations.transition(harness.business.id, id, {
      from: ['waiting_for_person'],
      to: 'person',
      assignedUserId: null,
    });
    expect(
      await assignRoundRobin(
        { ...harness.inbox, clock, presence },
        { businessId: harness.business.id, conversationId: id },
      ),
    ).toBeNull();
    expect(
      await harness.store.inbox.assignWaiting(harness.business.id, id, dee.id, clock.now()),
    ).toBeNull();
    expect((await harness.conversation(id)).assignedUserId).toBeNull();
  });
});
