import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { receiveCustomerMessage } from '../../src/inbox/receive-customer-message.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { EventStreamClient } from '../server/support/event-stream-client.js';
import { eventually } from '../support/eventually.js';
import { request, type ErrorResponse } from '../server/support/http-client.js';
import { createOtherBusiness } from '../server/support/other-business.js';
import { createUser, DEMO_OWNER, signIn } from '../server/support/sign-in.js';

interface InboxConversation {
  id: string;
  state: string;
  assignedUserId: string | null;
  unreadCount: number;
  tags: string[];
  waitingSince: string | null;
  contact: { displayName: string | null } | null;
}

interface ViewCount {
  conversations: number;
  unread: number;
}

interface ListResponse {
  conversations: InboxConversation[];
  counts: Record<'all' | 'waiting' | 'mine' | 'unassigned', ViewCount>;
}

interface Member {
  id: string;
  cookie: string;
  name: string;
}

describe.each(backends)('the team inbox over HTTP (%s)', (backend) => {
  let parley: TestParley;
  let owner: Member;
  let alex: Member;
  let kim: Member;
  const streams: EventStreamClient[] = [];

  async function member(name: string, role: 'owner' | 'staff'): Promise<Member> {
    const email = `${name.split(' ')[0]!.toLowerCase()}-${randomUUID().slice(0, 6)}@northside.test`;
    const { user, password } = await createUser(parley.store, {
      businessId: parley.business.id,
      email,
      role,
      name,
    });
    return { id: user.id, name, cookie: await signIn(parley.baseUrl, { email, password }) };
  }

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    const cookie = await signIn(parley.baseUrl, DEMO_OWNER);
    const me = await request<{ user: { id: string; name: string } }>(
      parley.baseUrl,
      '/api/auth/me',
      { cookie },
    );
    owner = { id: me.body.user.id, name: me.body.user.name, cookie };
    alex = await member('Alex Green', 'staff');
    kim = await member('Kim Lee', 'staff');
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await parley?.stop();
  });

  function call<Body = Record<string, unknown>>(
    who: Member,
    path: string,
    options: { method?: string; body?: unknown } = {},
  ) {
    return request<Body & ErrorResponse>(parley.baseUrl, path, { cookie: who.cookie, ...options });
  }

  async function goOnline(who: Member): Promise<EventStreamClient> {
    const stream = await EventStreamClient.open(`${parley.baseUrl}/api/events`, {
      cookie: who.cookie,
    });
    expect(stream.status).toBe(200);
    streams.push(stream);
    await eventually(`${who.name} online`, async () => {
      const team = await call<{ members: Array<{ id: string; online: boolean }> }>(
        who,
        '/api/inbox/team',
      );
      return team.body.members.find((entry) => entry.id === who.id)?.online || undefined;
    });
    return stream;
  }

  /** A customer writes through the inbox use-case (as a channel would), with a profile. */
  async function customerWrites(
    text: string,
    profile: { displayName?: string; phone?: string; email?: string } = {},
    senderId = `visitor-${randomUUID()}`,
  ) {
    const received = await receiveCustomerMessage(
      { store: parley.store, live: parley.live, clock: systemClock },
      {
        businessId: parley.business.id,
        channel: 'web',
        senderId,
        senderProfile: profile,
        parts: [{ type: 'text', text }],
        channelMessageId: randomUUID(),
      },
    );
    return { conversationId: received.conversation.id, senderId };
  }

  async function conversation(id: string): Promise<InboxConversation> {
    const thread = await call<{ conversation: InboxConversation }>(
      owner,
      `/api/conversations/${id}`,
    );
    expect(thread.status).toBe(200);
    return thread.body.conversation;
  }

  /** The customer asks for a person: the handoff policy hands over before any model runs. */
  async function handedOff(profile: { displayName?: string } = {}) {
    const { conversationId, senderId } = await customerWrites('I want to talk to a human', profile);
    const waiting = await eventually('the hand-off', async () => {
      const current = await conversation(conversationId);
      return current.state === 'waiting_for_person' ? current : undefined;
    });
    return { conversationId, senderId, waiting };
  }

  test('of two staff taking over the same conversation at once, exactly one wins; the other is told who', async () => {
    for (let round = 0; round < 3; round++) {
      const { conversationId } = await handedOff();
      const [first, second] = await Promise.all([
        call<{ conversation: InboxConversation }>(
          alex,
          `/api/conversations/${conversationId}/take-over`,
          { method: 'POST' },
        ),
        call<{ conversation: InboxConversation }>(
          kim,
          `/api/conversations/${conversationId}/take-over`,
          { method: 'POST' },
        ),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const winner = first.status === 200 ? alex : kim;
      const loser = first.status === 200 ? second : first;
      expect(loser.body.error.message).toBe(
        `${winner.name} has already taken over this conversation.`,
      );
      const stored = await conversation(conversationId);
      expect(stored).toMatchObject({ state: 'person', assignedUserId: winner.id });
    }
  });

  test('the waiting timer runs from the hand-off until a person replies, and again when the customer writes', async () => {
    const { conversationId, senderId, waiting } = await handedOff();
    expect(waiting.waitingSince).not.toBeNull();
    const path = `/api/conversations/${conversationId}`;
    expect((await call(alex, `${path}/take-over`, { method: 'POST' })).status).toBe(200);
    // Taking over is not answering: the customer still waits.
    expect((await conversation(conversationId)).waitingSince).toBe(waiting.waitingSince);
    const reply = await call(alex, `${path}/messages`, { body: { text: 'Hi, Alex here.' } });
    expect(reply.status).toBe(201);
    expect((await conversation(conversationId)).waitingSince).toBeNull();

    await customerWrites('Thanks, one more question', {}, senderId);
    const again = (await conversation(conversationId)).waitingSince;
    expect(again).not.toBeNull();
    expect(new Date(again!).getTime()).toBeGreaterThanOrEqual(
      new Date(waiting.waitingSince!).getTime(),
    );
    expect((await call(alex, `${path}/hand-back`, { method: 'POST' })).status).toBe(200);
    expect((await conversation(conversationId)).waitingSince).toBeNull();
  });

  test('round-robin gives waiting conversations to online staff in turn, skips who went offline, and leaves them unassigned when nobody is online', async () => {
    const alexStream = await goOnline(alex);
    const kimStream = await goOnline(kim);
    // The owner is online too, but round-robin is among staff.
    await goOnline(owner);
    const assignees: string[] = [];
    for (let index = 0; index < 4; index++) {
      const { conversationId } = await handedOff();
      const assigned = await eventually(
        'a round-robin assignment',
        async () => (await conversation(conversationId)).assignedUserId ?? undefined,
      );
      assignees.push(assigned);
    }
    expect(new Set(assignees)).toEqual(new Set([alex.id, kim.id]));
    // Fair: each gets every other one.
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[2]).toBe(assignees[0]);
    expect(assignees[3]).toBe(assignees[1]);

    kimStream.close();
    await eventually('Kim offline', async () => {
      const team = await call<{ members: Array<{ id: string; online: boolean }> }>(
        owner,
        '/api/inbox/team',
      );
      return team.body.members.find((entry) => entry.id === kim.id)?.online === false
        ? true
        : undefined;
    });
    for (let index = 0; index < 2; index++) {
      const { conversationId } = await handedOff();
      expect(
        await eventually(
          'an assignment to Alex',
          async () => (await conversation(conversationId)).assignedUserId ?? undefined,
        ),
      ).toBe(alex.id);
    }

    alexStream.close();
    for (const stream of streams) stream.close();
    await eventually('everyone offline', async () => {
      const team = await call<{ members: Array<{ online: boolean }> }>(owner, '/api/inbox/team');
      return team.body.members.every((entry) => !entry.online) ? true : undefined;
    });
    const { conversationId } = await handedOff();
    // Nothing will assign it; it is listed as waiting and unassigned.
    const waitingView = await call<ListResponse>(owner, '/api/conversations?view=unassigned');
    expect(waitingView.body.conversations.map((item) => item.id)).toContain(conversationId);
    expect((await conversation(conversationId)).assignedUserId).toBeNull();
  });

  test('assign by hand to a team member or nobody; never to a user of another business', async () => {
    const { conversationId } = await customerWrites('Where is my order?');
    const path = `/api/conversations/${conversationId}/assign`;
    const assigned = await call<{ assignedUserId: string | null }>(kim, path, {
      body: { userId: alex.id },
    });
    expect(assigned.status).toBe(200);
    expect((await conversation(conversationId)).assignedUserId).toBe(alex.id);
    const mine = await call<ListResponse>(alex, '/api/conversations?view=mine');
    expect(mine.body.conversations.map((item) => item.id)).toContain(conversationId);

    const other = await createOtherBusiness(parley.store);
    const stranger = await createUser(parley.store, {
      businessId: other.business.id,
      email: `stranger-${randomUUID().slice(0, 6)}@other.test`,
      role: 'staff',
    });
    const refused = await call(kim, path, { body: { userId: stranger.user.id } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('no user with this id in your business');
    expect((await conversation(conversationId)).assignedUserId).toBe(alex.id);

    expect((await call(kim, path, { body: { userId: null } })).status).toBe(200);
    expect((await conversation(conversationId)).assignedUserId).toBeNull();

    // Another business's conversation does not exist for this team.
    for (const attempt of [
      call(kim, `/api/conversations/${other.conversation.id}`),
      call(kim, `/api/conversations/${other.conversation.id}/assign`, { body: { userId: kim.id } }),
      call(kim, `/api/conversations/${other.conversation.id}/notes`, { body: { text: 'hi' } }),
      call(kim, `/api/conversations/${other.conversation.id}/tags`, { body: { tag: 'x' } }),
      call(kim, `/api/conversations/${other.conversation.id}/take-over`, { method: 'POST' }),
    ]) {
      expect((await attempt).status).toBe(404);
    }
    const list = await call<ListResponse>(kim, `/api/conversations?q=confidential`);
    expect(list.body.conversations).toEqual([]);
  });

  test('internal notes show in the thread with author and time, and never reach the customer', async () => {
    const { conversationId, senderId } = await customerWrites('Can I return a helmet?');
    const secret = `check the receipt first ${randomUUID()}`;
    const added = await call<{ note: { authorName: string; text: string; createdAt: string } }>(
      kim,
      `/api/conversations/${conversationId}/notes`,
      { body: { text: `  ${secret}  ` } },
    );
    expect(added.status).toBe(201);
    expect(added.body.note).toMatchObject({ authorName: 'Kim Lee', text: secret });
    const empty = await call(kim, `/api/conversations/${conversationId}/notes`, {
      body: { text: '   ' },
    });
    expect(empty.status).toBe(400);

    const thread = await call<{
      notes: Array<{ text: string; authorUserId: string }>;
      messages: Array<{ text: string }>;
    }>(owner, `/api/conversations/${conversationId}`);
    expect(thread.body.notes).toEqual([
      expect.objectContaining({ text: secret, authorUserId: kim.id }),
    ]);
    expect(thread.body.messages.map((message) => message.text)).not.toContain(secret);
    const window = await parley.store.messages.recent(parley.business.id, conversationId, 50);
    expect(window.map((message) => message.text).join('\n')).not.toContain(secret);
    const outbox = await parley.store.messages.listForContact(
      parley.business.id,
      (await parley.store.conversations.getById(parley.business.id, conversationId))!.contactId,
      'web',
      { afterSeq: 0 },
    );
    expect(outbox.map((message) => message.text).join('\n')).not.toContain(secret);
    expect(senderId).toBeTruthy();
  });

  test('tags, filters, search and unread counts work together', async () => {
    const marker = randomUUID().slice(0, 8);
    const bike = await customerWrites(`My gravel bike ${marker} has a flat tyre`, {
      displayName: 'Priya Raman',
      phone: '+44 7700 900123',
      email: `priya.${marker}@example.test`,
    });
    const helmet = await customerWrites(`Helmet ${marker} size question`, {
      displayName: 'Tom Baker',
    });
    const tagged = await call<{ tags: string[] }>(
      alex,
      `/api/conversations/${bike.conversationId}/tags`,
      { body: { tag: `  Repair ${marker} ` } },
    );
    expect(tagged.status).toBe(200);
    expect(tagged.body.tags).toEqual([`repair ${marker}`]);
    const bad = await call(alex, `/api/conversations/${bike.conversationId}/tags`, {
      body: { tag: '#!?' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('cannot be a tag');

    const tags = await call<{ tags: Array<{ tag: string; conversations: number }> }>(
      kim,
      '/api/tags',
    );
    expect(tags.body.tags).toContainEqual({ tag: `repair ${marker}`, conversations: 1 });

    const ids = async (query: string, who: Member = kim) =>
      (await call<ListResponse>(who, `/api/conversations?${query}`)).body.conversations.map(
        (item) => item.id,
      );
    expect(await ids(`q=${marker}`)).toEqual(
      expect.arrayContaining([bike.conversationId, helmet.conversationId]),
    );
    expect(await ids(`q=${encodeURIComponent(`gravel bike ${marker}`)}`)).toEqual([
      bike.conversationId,
    ]);
    expect(await ids(`q=priya.${marker}`)).toEqual([bike.conversationId]);
    expect(await ids(`q=${encodeURIComponent('7700 900123')}`)).toContain(bike.conversationId);
    expect(await ids(`tag=${encodeURIComponent(`Repair ${marker}`)}`)).toEqual([
      bike.conversationId,
    ]);
    expect(await ids(`q=${marker}&channel=whatsapp`)).toEqual([]);
    expect(await ids(`q=${marker}&view=waiting`)).toEqual([]);
    // LIKE's wildcards are searched for literally.
    expect(await ids(`q=${encodeURIComponent('%')}`)).not.toContain(helmet.conversationId);

    const counted = await call<ListResponse>(kim, `/api/conversations?q=${marker}`);
    expect(counted.body.counts.all).toEqual({ conversations: 2, unread: 2 });
    expect(counted.body.counts.mine).toEqual({ conversations: 0, unread: 0 });
    await call(kim, `/api/conversations/${helmet.conversationId}/read`, { method: 'POST' });
    const after = await call<ListResponse>(kim, `/api/conversations?q=${marker}`);
    expect(after.body.counts.all.unread).toBe(1);

    const removed = await call<{ tags: string[] }>(
      alex,
      `/api/conversations/${bike.conversationId}/tags/${encodeURIComponent(`repair ${marker}`)}`,
      { method: 'DELETE' },
    );
    expect(removed.body.tags).toEqual([]);
    expect(await ids(`tag=${encodeURIComponent(`repair ${marker}`)}`)).toEqual([]);

    const invalid = await call(kim, '/api/conversations?view=everything');
    expect(invalid.status).toBe(400);
  });

  test('the owner adds a staff member who can then sign in; staff cannot add anyone', async () => {
    const email = `new-${randomUUID().slice(0, 6)}@northside.test`;
    const member = { name: 'Noor Haddad', email, password: 'a-long-password-1' };
    expect((await call(kim, '/api/inbox/team', { body: member })).status).toBe(403);
    const short = await call(owner, '/api/inbox/team', { body: { ...member, password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain('at least 10 characters');
    const added = await call<{ user: { id: string; role: string } }>(owner, '/api/inbox/team', {
      body: member,
    });
    expect(added.status).toBe(201);
    expect(added.body.user.role).toBe('staff');
    expect((await call(owner, '/api/inbox/team', { body: member })).status).toBe(409);
    const cookie = await signIn(parley.baseUrl, { email, password: member.password });
    const team = await request<{ members: Array<{ id: string }> }>(
      parley.baseUrl,
      '/api/inbox/team',
      { cookie },
    );
    expect(team.body.members.map((entry) => entry.id)).toContain(added.body.user.id);
  });

  test('canned replies: the owner manages them, staff use them, placeholders are filled in', async () => {
    const body = {
      shortcut: '/Hours',
      title: 'Opening hours',
      body: 'Hi {{contact.firstName | there}}, {{business.name}} is open 9-18. {{user.firstName}}',
    };
    const forbidden = await call(kim, '/api/canned-replies', { body });
    expect(forbidden.status).toBe(403);
    const created = await call<{ cannedReply: { id: string; shortcut: string } }>(
      owner,
      '/api/canned-replies',
      { body },
    );
    expect(created.status).toBe(201);
    expect(created.body.cannedReply.shortcut).toBe('hours');
    const duplicate = await call(owner, '/api/canned-replies', { body: { ...body, title: 'x' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toContain('/hours');
    const unknown = await call(owner, '/api/canned-replies', {
      body: { shortcut: 'oops', title: '', body: 'Hi {{contact.nmae}}' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('{{contact.nmae}}');
    expect(unknown.body.error.message).toContain('{{contact.name}}');
    const badShortcut = await call(owner, '/api/canned-replies', {
      body: { shortcut: 'two words', title: '', body: 'x' },
    });
    expect(badShortcut.status).toBe(400);

    const named = await customerWrites('hello', { displayName: 'Priya Raman' });
    const anonymous = await customerWrites('hello');
    const filled = async (conversationId: string) =>
      (
        await call<{ cannedReplies: Array<{ shortcut: string; text: string }> }>(
          kim,
          `/api/conversations/${conversationId}/canned-replies`,
        )
      ).body.cannedReplies.find((reply) => reply.shortcut === 'hours')?.text;
    expect(await filled(named.conversationId)).toBe('Hi Priya, Northside Cycles is open 9-18. Kim');
    expect(await filled(anonymous.conversationId)).toBe(
      'Hi there, Northside Cycles is open 9-18. Kim',
    );

    const id = created.body.cannedReply.id;
    expect((await call(kim, `/api/canned-replies/${id}`, { method: 'PUT', body })).status).toBe(
      403,
    );
    expect((await call(kim, `/api/canned-replies/${id}`, { method: 'DELETE' })).status).toBe(403);
    const edited = await call(owner, `/api/canned-replies/${id}`, {
      method: 'PUT',
      body: { ...body, body: 'We open at 9.' },
    });
    expect(edited.status).toBe(200);
    expect(await filled(named.conversationId)).toBe('We open at 9.');
    expect((await call(owner, `/api/canned-replies/${id}`, { method: 'DELETE' })).status).toBe(204);
    const listed = await call<{ cannedReplies: unknown[] }>(kim, '/api/canned-replies');
    expect(listed.body.cannedReplies).toEqual([]);
  });
});
