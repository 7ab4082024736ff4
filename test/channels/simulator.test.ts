import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { consoleApi, type ConsoleMessage } from './support/console-api.js';
import { eventually } from '../support/eventually.js';

interface Entry {
  from: 'customer' | 'business';
  text: string;
  kind: string;
  choices: Array<{ id: string; title: string }>;
}

describe('the console channel simulator (PARLEY_SIMULATOR=true)', () => {
  let parley: TestParley;
  let api: Awaited<ReturnType<typeof consoleApi>>;
  beforeAll(async () => {
    // The demo business connects no Meta channel: the simulator makes all three up.
    parley = await startTestParley({ env: { PARLEY_SIMULATOR: 'true' } });
    api = await consoleApi(parley.baseUrl);
  });
  afterAll(async () => {
    await parley.stop();
  });

  const transcript = (channel: string, customerId: string) =>
    api.get<{ entries: Entry[] }>(`/api/simulator/${channel}/transcript?customerId=${customerId}`);

  it('offers the three channels, and is off without the setting', async () => {
    const { channels } = await api.get<{ channels: Array<{ channel: string }> }>('/api/simulator');
    expect(channels.map((entry) => entry.channel)).toEqual(['whatsapp', 'messenger', 'instagram']);
    const plain = await startTestParley();
    try {
      const plainApi = await consoleApi(plain.baseUrl);
      expect((await plainApi.fetch('/api/simulator')).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it("writes as a WhatsApp customer through signed webhooks and shows Parley's native reply", async () => {
    const customer = { id: '447700930001', name: 'Sam Simulated' };
    const posted = await api.post<{ webhookStatus: number }>('/api/simulator/whatsapp/messages', {
      customer,
      text: 'Hello, are you open today?',
    });
    expect(posted).toMatchObject({ status: 202, body: { webhookStatus: 200 } });
    const reply = await eventually('the reply in the simulator', async () => {
      const { entries } = await transcript('whatsapp', customer.id);
      return entries.find((entry) => entry.from === 'business');
    });
    expect(reply.kind).toBe('buttons');
    expect(reply.choices.map((choice) => choice.id)).toEqual(['menu:ask', 'menu:person']);

    // Tapping a button is a button reply; the conversation is in the inbox like any other.
    await api.post('/api/simulator/whatsapp/messages', { customer, choice: reply.choices[1] });
    const { entries } = await eventually('the answer to the tap', async () => {
      const current = await transcript('whatsapp', customer.id);
      return current.entries.filter((entry) => entry.from === 'business').length >= 2
        ? current
        : undefined;
    });
    expect(entries.map((entry) => entry.from)).toEqual([
      'customer',
      'business',
      'customer',
      'business',
    ]);
    expect(entries[2]?.text).toBe('Talk to a person');

    const { conversations } = await api.get<{
      conversations: Array<{
        id: string;
        channel: string;
        state: string;
        contact: { displayName: string };
      }>;
    }>('/api/conversations');
    const conversation = conversations.find(
      (candidate) => candidate.contact.displayName === customer.name,
    );
    expect(conversation).toMatchObject({ channel: 'whatsapp', state: 'waiting_for_person' });
    // The simulated phone reports the replies delivered and read, like a real one.
    await eventually('the first reply to be read', async () => {
      const { messages } = await api.get<{ messages: ConsoleMessage[] }>(
        `/api/conversations/${conversation!.id}`,
      );
      return messages.find((message) => message.author === 'agent')?.status === 'read'
        ? true
        : undefined;
    });
  });

  it('writes as a Messenger and an Instagram customer, with quick replies back', async () => {
    for (const channel of ['messenger', 'instagram']) {
      const customer = {
        id: channel === 'messenger' ? '6783459990001' : '17841459990001',
        name: `${channel} tester`,
      };
      await api.post(`/api/simulator/${channel}/messages`, { customer, text: 'hi' });
      const reply = await eventually(`the ${channel} reply`, async () => {
        const { entries } = await transcript(channel, customer.id);
        return entries.find((entry) => entry.from === 'business');
      });
      expect(reply.kind).toBe('quick-replies');
    }
  });
});
