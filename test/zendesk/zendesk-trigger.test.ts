import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { eventually } from '../support/eventually.js';
import { request } from '../server/support/http-client.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { ZENDESK, withZendesk } from './support/zendesk-business.js';
import { startZendeskStandIn } from './support/zendesk-stand-in.js';

describe.each(backends)('Zendesk as a per-trigger choice (%s)', (backend) => {
  let zendesk: Awaited<ReturnType<typeof startZendeskStandIn>> | undefined;
  let database: TestDatabase | undefined;
  let parley: TestParley | undefined;
  afterAll(async () => {
    await parley?.stop();
    await database?.destroy();
    await zendesk?.close();
  });

  async function handOff(text: string): Promise<{ conversationId: string; reason: string }> {
    const businessId = parley!.business.id;
    const visitor = await request<{ token: string }>(
      parley!.baseUrl,
      `/api/widget/${businessId}/visitors`,
      { method: 'POST' },
    );
    const sent = await request<{ message: { conversationId: string } }>(
      parley!.baseUrl,
      `/api/widget/${businessId}/messages`,
      { bearer: visitor.body.token, body: { clientMessageId: randomUUID(), text } },
    );
    const conversationId = sent.body.message.conversationId;
    const waiting = await eventually('the handoff', async () => {
      const conversation = await parley!.store.conversations.getById(businessId, conversationId);
      return conversation?.state === 'waiting_for_person' ? conversation : undefined;
    });
    return { conversationId, reason: waiting.handoffReason ?? '' };
  }

  test('only a handoff whose deciding trigger lists zendesk opens a ticket, also in the start-up sweep', async () => {
    zendesk = await startZendeskStandIn(ZENDESK);
    database = await openTestDatabase(backend);
    const base = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    // Only a request for a person opens a ticket; the refund topic hands over without one.
    const config = withZendesk(base, zendesk.baseUrl, ['personRequest']);
    const start = () => startTestParley({ backend, database, overrides: { config } });
    parley = await start();
    const businessId = parley.business.id;

    const refund = await handOff('I would like a refund for order 1042');
    const decisions = await parley.store.handoffDecisions.listForConversation(
      businessId,
      refund.conversationId,
    );
    expect(decisions.find((decision) => decision.deciding)?.trigger).toBe('topics');
    const person = await handOff('Can I talk to a human please?');
    await eventually(
      'the ticket of the request for a person',
      () => zendesk!.tickets.find((entry) => entry.external_id === person.conversationId),
      30_000,
    );
    // Stopping waits for the queued work, so nothing is still on its way for the refund.
    await parley.stop();
    const queuedFor = async (conversationId: string) =>
      (await parley!.store.helpdesk.dueTickets(new Date(Date.now() + 3_600_000), 50)).filter(
        (row) => row.conversationId === conversationId,
      );
    expect(await queuedFor(refund.conversationId)).toEqual([]);

    // The sweep at start-up applies the same rule to the refund, still waiting for a person.
    parley = await start();
    await parley.stop();
    expect(await queuedFor(refund.conversationId)).toEqual([]);
    expect(zendesk.tickets.map((entry) => entry.external_id)).toEqual([person.conversationId]);
    parley = undefined;
  });

  test('a business with zendesk: and no trigger listing it is warned at start-up', async () => {
    const stand = await startZendeskStandIn(ZENDESK);
    const base = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const quiet = await startTestParley({
      backend,
      overrides: { config: withZendesk(base, stand.baseUrl, []), logger },
    });
    try {
      const warning = await eventually('the start-up warning', () =>
        lines.find((line) => line.includes('no handoff trigger lists zendesk')),
      );
      expect(warning).toContain('Add zendesk to the notify');
    } finally {
      await quiet.stop();
      await stand.close();
    }
  });
});
