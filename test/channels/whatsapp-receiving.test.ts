import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/channels/meta/webhook-signature.js';
import { backends } from '../support/test-database.js';
import {
  CUSTOMER,
  INBOUND_TYPES,
  contactEntry,
  inbound,
  whatsappWebhook,
} from './fixtures/whatsapp-webhooks.js';
import { META, startMetaParley, type MetaParley } from './support/meta-parley.js';

describe.each(backends)('WhatsApp webhooks in (%s)', (backend) => {
  let meta: MetaParley;
  beforeAll(async () => {
    meta = await startMetaParley({ backend });
  });
  afterAll(async () => {
    await meta.stop();
  });

  it("answers Meta's verification with the raw challenge, and refuses a wrong verify token", async () => {
    const url = (token: string) =>
      `${meta.parley.baseUrl}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await fetch(url(META.verifyToken));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(url('guess'));
    expect(wrong.status).toBe(403);
  });

  it('rejects a missing or wrong signature with a 4xx before writing anything', async () => {
    const before = await meta.parley.store.webhookInbox.pendingCount();
    const payload = whatsappWebhook({
      contacts: [contactEntry()],
      messages: [INBOUND_TYPES.text()],
    });
    const raw = JSON.stringify(payload);
    const missing = await meta.post('whatsapp', raw, { secret: null });
    const wrongSecret = await meta.post('whatsapp', raw, { secret: 'not-the-app-secret' });
    const changedByte = await meta.post('whatsapp', raw.replace('e-bikes', 'e-bikez'), {
      signature: signWebhookBody(raw, META.appSecret),
    });
    expect([missing.status, wrongSecret.status, changedByte.status]).toEqual([401, 401, 401]);
    expect(await meta.parley.store.webhookInbox.pendingCount()).toBe(before);
    await meta.drained();
    expect(await meta.messagesOf('whatsapp', CUSTOMER.userId)).toEqual([]);
  });

  it('stores the raw body before the 200, then processes it after', async () => {
    await meta.parley.meta.processor.stop();
    try {
      const message = inbound('text', { text: { body: 'Stored first, thanks 👍' } });
      const raw = JSON.stringify(
        whatsappWebhook({ contacts: [contactEntry()], messages: [message] }),
      )
        // Meta's escaped-unicode form: the signature is over these bytes, not re-encoded ones.
        .replace('👍', '\\ud83d\\udc4d');
      const response = await meta.post('whatsapp', raw);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('EVENT_RECEIVED');
      // Acknowledged with the processor stopped: the webhook is durable, nothing is applied yet.
      const [stored] = await meta.parley.store.webhookInbox.claimDue(
        new Date(Date.now() + 60_000),
        new Date(Date.now() + 120_000),
        10,
      );
      expect(stored?.body).toBe(raw);
      expect(await meta.messagesOf('whatsapp', CUSTOMER.userId)).toEqual([]);
      await meta.parley.store.webhookInbox.reschedule(
        stored!.id,
        new Date(0),
        'test: hand it back',
      );
      await meta.parley.meta.processor.processDue();
      const messages = await meta.messagesOf('whatsapp', CUSTOMER.userId);
      expect(messages.map((stored) => stored.text)).toEqual(['Stored first, thanks 👍']);
    } finally {
      meta.parley.meta.processor.start();
    }
  });
});
