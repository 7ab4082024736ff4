import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MessagePart } from '../../src/core/message.js';
import { messageSchema } from '../../src/server/api-shapes.js';
import { backends } from '../support/test-database.js';
import {
  CUSTOMER,
  INBOUND_TYPES,
  contactEntry,
  inbound,
  wamid,
  whatsappWebhook,
} from './fixtures/whatsapp-webhooks.js';
import { consoleApi } from './support/console-api.js';
import { eventually } from '../support/eventually.js';
import { META, startMetaParley, type MetaParley } from './support/meta-parley.js';
import { startTranscriptionStandIn } from './support/transcription-stand-in.js';

const IMAGE = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const VOICE = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 9, 9, 9]);

describe.each(backends)('WhatsApp inbound messages, end to end (%s)', (backend) => {
  let meta: MetaParley;
  let transcription: Awaited<ReturnType<typeof startTranscriptionStandIn>>;

  beforeAll(async () => {
    transcription = await startTranscriptionStandIn('Hi, my chain keeps slipping on the big gear');
    meta = await startMetaParley({
      backend,
      env: { PARLEY_TRANSCRIPTION_URL: transcription.url, PARLEY_TRANSCRIPTION_MODEL: 'whisper-1' },
    });
    meta.graph.addMedia('media-image-1', { bytes: IMAGE, mimeType: 'image/jpeg' });
    meta.graph.addMedia('media-voice-1', { bytes: VOICE, mimeType: 'audio/ogg' });
    for (const id of ['media-audio-1', 'media-video-1', 'media-document-1', 'media-sticker-1']) {
      meta.graph.addMedia(id, {
        bytes: new Uint8Array([1, 2, 3]),
        mimeType: 'application/octet-stream',
      });
    }
  });
  afterAll(async () => {
    await meta.stop();
    await transcription.close();
  });

  it('stores every inbound type from one batch, in order, as channel-neutral parts', async () => {
    const first = INBOUND_TYPES.text();
    const fixtures = [
      first,
      INBOUND_TYPES.image(),
      INBOUND_TYPES.audio(),
      INBOUND_TYPES.voice(),
      INBOUND_TYPES.video(),
      INBOUND_TYPES.document(),
      INBOUND_TYPES.sticker(),
      INBOUND_TYPES.location(),
      INBOUND_TYPES.contacts(),
      INBOUND_TYPES.buttonReply(),
      INBOUND_TYPES.listReply(),
      INBOUND_TYPES.flowReply(),
      INBOUND_TYPES.templateButton(),
      INBOUND_TYPES.reaction(first.id),
      INBOUND_TYPES.reactionRemoved(first.id),
      INBOUND_TYPES.order(),
      INBOUND_TYPES.unsupported(),
      INBOUND_TYPES.requestWelcome(),
      INBOUND_TYPES.revoke(first.id),
      INBOUND_TYPES.replyWithContext(first.id),
      INBOUND_TYPES.forwarded(),
      INBOUND_TYPES.referral(),
    ];
    const response = await meta.post(
      'whatsapp',
      whatsappWebhook({ contacts: [contactEntry()], messages: fixtures }),
    );
    expect(response.status).toBe(200);
    await meta.drained();

    const inboundMessages = (await meta.messagesOf('whatsapp', CUSTOMER.userId)).filter(
      (message) => message.author === 'customer',
    );
    expect(inboundMessages.map((message) => message.channelMessageId)).toEqual(
      fixtures.map((fixture) => fixture.id),
    );
    const kinds = inboundMessages.map((message) =>
      message.parts.map((part) => part.type).join('+'),
    );
    expect(kinds).toEqual([
      'text',
      'media',
      'media',
      'media',
      'media',
      'media',
      'media',
      'location',
      'contacts',
      'choice-reply',
      'choice-reply',
      'form-reply',
      'choice-reply',
      'reaction',
      'reaction',
      'order',
      'unsupported',
      'notice',
      'revoked',
      'reply-to+text',
      'forwarded+text',
      'referral+text',
    ]);
    const contact = await meta.parley.store.contacts.findByIdentity(meta.parley.business.id, {
      channel: 'whatsapp',
      externalId: CUSTOMER.waId,
    });
    expect(contact).toMatchObject({ displayName: CUSTOMER.name, phone: `+${CUSTOMER.waId}` });

    // The API documents every kind it sends: each message of the thread fits the OpenAPI schema.
    const api = await consoleApi(meta.parley.baseUrl);
    const thread = await api.get<{ messages: unknown[] }>(
      `/api/conversations/${inboundMessages[0]!.conversationId}`,
    );
    const documented = z.array(messageSchema).safeParse(thread.messages);
    expect(documented.error?.issues ?? []).toEqual([]);
    expect((thread.messages as Array<{ id: string }>).map((message) => message.id)).toEqual(
      expect.arrayContaining(inboundMessages.map((message) => message.id)),
    );
  });

  it('downloads media into the blob store and transcribes voice notes for the agent', async () => {
    const messages = await meta.messagesOf('whatsapp', CUSTOMER.userId);
    const media = messages.flatMap((message) =>
      message.parts.filter(
        (part): part is Extract<MessagePart, { type: 'media' }> => part.type === 'media',
      ),
    );
    const image = media.find((part) => part.providerMediaId === 'media-image-1')!;
    expect(image.blobKey).toMatch(new RegExp(`^${meta.parley.business.id}/`));
    const stored = await readFile(join(meta.parley.dataDir, 'blobs', image.blobKey!));
    expect(new Uint8Array(stored)).toEqual(IMAGE);
    expect(await meta.parley.meta.blobs.get(image.blobKey!)).toEqual({
      bytes: IMAGE,
      contentType: 'image/jpeg',
    });
    // The owner's console fetches it; another business's key is not found.
    const api = await consoleApi(meta.parley.baseUrl);
    const served = await api.fetch(`/api/media/${image.blobKey}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(IMAGE);
    const foreign = image.blobKey!.replace(
      meta.parley.business.id,
      '00000000-0000-4000-8000-000000000001',
    );
    expect((await api.fetch(`/api/media/${foreign}`)).status).toBe(404);
    expect((await fetch(`${meta.parley.baseUrl}/api/media/${image.blobKey}`)).status).toBe(401);

    const voice = media.find((part) => part.kind === 'voice')!;
    expect(voice.transcript).toBe('Hi, my chain keeps slipping on the big gear');
    const voiceMessage = messages.find((message) => message.parts.includes(voice))!;
    expect(voiceMessage.text).toContain('(transcript) Hi, my chain keeps slipping');
    expect(transcription.received.some((request) => request.body.includes('OggS'))).toBe(true);
    // The egress log says whose audio left, for how long, and what it cost (whisper-1: by the minute).
    const calls = await api.get<{
      calls: Array<{
        task: string;
        contactId: string | null;
        audioSeconds: number | null;
        costMicros: number;
      }>;
    }>('/api/models/calls');
    const sender = await meta.parley.store.contacts.findByIdentity(meta.parley.business.id, {
      channel: 'whatsapp',
      externalId: CUSTOMER.userId,
    });
    // (the batch has a voice note and an audio file)
    expect(
      calls.calls
        .filter((call) => call.task === 'transcription')
        .map((call) => [call.contactId, call.audioSeconds, call.costMicros]),
    ).toEqual([
      [sender!.id, 3, 300],
      [sender!.id, 3, 300],
    ]);
    // The media id lookup and the download both carried the business's token.
    const downloads = meta.graph.requests.filter((request) =>
      request.path.includes('media-image-1'),
    );
    expect(downloads.map((request) => request.token)).toEqual([
      META.whatsappToken,
      META.whatsappToken,
    ]);
  });

  it('keeps a message whose media cannot be fetched, with the reason for the owner', async () => {
    const message = inbound('image', {
      image: { mime_type: 'image/png', sha256: 'x', id: 'media-that-expired' },
    });
    await meta.post(
      'whatsapp',
      whatsappWebhook({ contacts: [contactEntry()], messages: [message] }),
    );
    await meta.drained();
    const stored = (await meta.messagesOf('whatsapp', CUSTOMER.userId)).find(
      (candidate) => candidate.channelMessageId === message.id,
    );
    expect(stored?.parts[0]).toMatchObject({
      type: 'media',
      providerMediaId: 'media-that-expired',
    });
    expect(stored?.parts[0]?.type === 'media' && stored.parts[0].downloadError).toMatch(
      /media lookup failed: 100/,
    );
  });

  it('asks the agent for a turn only for what needs an answer, and shows read + typing meanwhile', async () => {
    const customer = { waId: '447700900555', userId: 'US.55555555555555555555', name: 'Mary' };
    const text = { ...INBOUND_TYPES.text(), from: customer.waId, from_user_id: customer.userId };
    await meta.post(
      'whatsapp',
      whatsappWebhook({ contacts: [contactEntry(customer)], messages: [text] }),
    );
    await meta.drained();
    const receipt = await meta.graph.waitFor(
      (request) => request.body?.status === 'read' && request.body.message_id === text.id,
    );
    expect(receipt.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: text.id,
      typing_indicator: { type: 'text' },
    });
    const { store, business } = meta.parley;
    const contact = await store.contacts.findByIdentity(business.id, {
      channel: 'whatsapp',
      externalId: customer.userId,
    });
    const [conversation] = await store.conversations.listForContact(business.id, contact!.id);
    // The agent (menu mode) answered the text; a reaction afterwards owes nothing.
    await eventually('the agent to answer', async () => {
      const current = await store.conversations.getById(business.id, conversation!.id);
      return current && current.agentCursor >= current.lastInboundSeq ? current : undefined;
    });
    const before = await store.conversations.getById(business.id, conversation!.id);
    const reaction = {
      ...INBOUND_TYPES.reaction(text.id),
      from: customer.waId,
      from_user_id: customer.userId,
    };
    await meta.post(
      'whatsapp',
      whatsappWebhook({ contacts: [contactEntry(customer)], messages: [reaction] }),
    );
    await meta.drained();
    const after = await store.conversations.getById(business.id, conversation!.id);
    expect(after?.lastInboundSeq).toBe(before?.lastInboundSeq);
    expect(after?.unreadCount).toBe((before?.unreadCount ?? 0) + 1);
  });

  it('treats a customer known only by a business-scoped user id as first-class, and joins ids later', async () => {
    const userId = 'US.ENT.77777777777777777777';
    const usernameOnly = inbound(
      'text',
      { text: { body: 'I use a username' } },
      { from_user_id: userId },
    );
    delete (usernameOnly as { from?: string }).from;
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry({ userId, username: 'cyclist.jo' })],
        messages: [usernameOnly],
      }),
    );
    await meta.drained();
    const { store, business } = meta.parley;
    const contact = await store.contacts.findByIdentity(business.id, {
      channel: 'whatsapp',
      externalId: userId,
    });
    expect(contact).toMatchObject({ displayName: 'cyclist.jo', phone: null });
    // The agent's answer goes to the user id (`recipient`), since there is no number to use.
    const send = await meta.graph.waitFor((request) => request.body?.recipient === userId);
    expect(send.body).not.toHaveProperty('to');

    // Later the same person writes with a phone-based id too: one contact, both identities.
    const withPhone = inbound(
      'text',
      { text: { body: 'Now with my number' } },
      { from: '447700900888', from_user_id: userId },
    );
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry({ userId, waId: '447700900888', name: 'Jo' })],
        messages: [withPhone],
      }),
    );
    await meta.drained();
    const identities = await store.contacts.identities(business.id, contact!.id);
    expect(identities.map((identity) => identity.externalId).sort()).toEqual([
      '447700900888',
      userId,
    ]);
    expect(await store.contacts.getById(business.id, contact!.id)).toMatchObject({
      displayName: 'Jo',
      phone: '+447700900888',
    });
  });

  it('follows a changed number and a changed user id: the same contact, history kept', async () => {
    const person = { waId: '447700900111', userId: 'US.11111111111111111111', name: 'Kim' };
    const hello = inbound(
      'text',
      { text: { body: 'hello' } },
      { from: person.waId, from_user_id: person.userId },
    );
    await meta.post(
      'whatsapp',
      whatsappWebhook({ contacts: [contactEntry(person)], messages: [hello] }),
    );
    await meta.drained();
    const { store, business } = meta.parley;
    const original = await store.contacts.findByIdentity(business.id, {
      channel: 'whatsapp',
      externalId: person.waId,
    });

    const changedNumber = inbound(
      'system',
      {
        system: {
          body: 'Kim changed their phone number',
          wa_id: '447700900222',
          type: 'user_changed_number',
        },
      },
      { from: person.waId, from_user_id: person.userId },
    );
    const changedUserId = inbound(
      'system',
      {
        system: {
          body: 'Kim has a new business-scoped user id',
          type: 'user_changed_user_id',
          user_id: 'US.22222222222222222221',
          previous_user_id: person.userId,
        },
      },
      { from: '447700900222', from_user_id: person.userId },
    );
    const body = whatsappWebhook({ messages: [changedNumber, changedUserId] });
    await meta.post('whatsapp', body);
    await meta.post('whatsapp', body); // a redelivery changes nothing more
    await meta.drained();

    const byNewNumber = await store.contacts.findByIdentity(business.id, {
      channel: 'whatsapp',
      externalId: '447700900222',
    });
    const byNewUserId = await store.contacts.findByIdentity(business.id, {
      channel: 'whatsapp',
      externalId: 'US.22222222222222222221',
    });
    expect(byNewNumber?.id).toBe(original!.id);
    expect(byNewUserId?.id).toBe(original!.id);
    expect(byNewNumber?.phone).toBe('+447700900222');
    expect(
      await store.contacts.findByIdentity(business.id, {
        channel: 'whatsapp',
        externalId: person.waId,
      }),
    ).toBeNull();
    const thread = await meta.messagesOf('whatsapp', '447700900222');
    expect(
      thread
        .filter((message) => message.author === 'system' && message.direction === 'inbound')
        .map((message) => message.text),
    ).toEqual(['[Kim changed their phone number]', '[Kim has a new business-scoped user id]']);
    expect(thread.some((message) => message.channelMessageId === hello.id)).toBe(true);
  });

  it('has no second effect for a redelivered message', async () => {
    const message = inbound('text', { text: { body: 'only once please' } });
    const body = whatsappWebhook({ contacts: [contactEntry()], messages: [message] });
    for (let delivery = 0; delivery < 3; delivery++) {
      expect((await meta.post('whatsapp', body)).status).toBe(200);
    }
    await meta.drained();
    const copies = (await meta.messagesOf('whatsapp', CUSTOMER.userId)).filter(
      (stored) => stored.channelMessageId === message.id,
    );
    expect(copies).toHaveLength(1);
  });

  it('routes by phone number id: another business gets its own, an unknown number is skipped', async () => {
    const { store } = meta.parley;
    const other = await store.businesses.upsert({
      slug: `other-shop-${Date.now().toString(36)}`,
      name: 'Other Shop',
      instructions: '',
      profile: {
        description: '',
        timezone: 'Europe/Berlin',
        languages: ['de'],
        currency: 'EUR',
        openingHours: {},
        tone: 'formal',
      },
    });
    meta.parley.meta.accounts.register(other.id, {
      whatsapp: {
        phoneNumberId: '300000000000003',
        wabaId: null,
        accessToken: 'other-token',
        appSecret: META.appSecret,
        verifyToken: 'other-verify',
        messagesPerSecond: 80,
        windowClosedTemplate: null,
      },
    });
    const ours = inbound('text', { text: { body: 'for Northside' } });
    const theirs = inbound('text', { text: { body: 'für den anderen Laden' } });
    const nobodys = inbound('text', { text: { body: 'for no one' } });
    const batch = {
      object: 'whatsapp_business_account',
      entry: [
        whatsappWebhook({ contacts: [contactEntry()], messages: [ours] }).entry[0],
        whatsappWebhook(
          { contacts: [contactEntry()], messages: [theirs] },
          { phoneNumberId: '300000000000003' },
        ).entry[0],
        whatsappWebhook(
          { contacts: [contactEntry()], messages: [nobodys] },
          { phoneNumberId: '999999999999999' },
        ).entry[0],
      ],
    };
    expect((await meta.post('whatsapp', batch)).status).toBe(200);
    await meta.drained();
    const ourMessage = await store.channelMessages.findByChannelMessageId(
      meta.parley.business.id,
      'whatsapp',
      ours.id,
    );
    const theirMessage = await store.channelMessages.findByChannelMessageId(
      other.id,
      'whatsapp',
      theirs.id,
    );
    expect(ourMessage?.text).toBe('for Northside');
    expect(theirMessage?.text).toBe('für den anderen Laden');
    expect(
      await store.channelMessages.findByChannelMessageId(
        meta.parley.business.id,
        'whatsapp',
        theirs.id,
      ),
    ).toBeNull();
    for (const businessId of [meta.parley.business.id, other.id]) {
      expect(
        await store.channelMessages.findByChannelMessageId(businessId, 'whatsapp', nobodys.id),
      ).toBeNull();
    }
  });
});

// Referenced so the fixture module's id generator is exercised by the parser tests too.
void wamid;
