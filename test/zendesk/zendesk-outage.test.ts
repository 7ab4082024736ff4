import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { eventually } from '../support/eventually.js';
import { request } from '../server/support/http-client.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { ZENDESK, withZendesk } from './support/zendesk-business.js';
import { startZendeskStandIn } from './support/zendesk-stand-in.js';

describe.each(backends)('a handoff while Zendesk is down (%s)', (backend) => {
  let zendesk: Awaited<ReturnType<typeof startZendeskStandIn>> | undefined;
  let database: TestDatabase | undefined;
  let parley: TestParley | undefined;
  afterAll(async () => {
    await parley?.stop();
    await database?.destroy();
    await zendesk?.close();
  });

  test('does not hold up the customer, and the ticket is opened after Parley restarts and Zendesk is back', async () => {
    zendesk = await startZendeskStandIn(ZENDESK);
    database = await openTestDatabase(backend);
    const base = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    const config = withZendesk(base, zendesk.baseUrl);
    const start = () => startTestParley({ backend, database, overrides: { config } });
    parley = await start();
    const businessId = parley.business.id;
    // Zendesk answers 503 to everything for now.
    zendesk.failures.push(...Array.from({ length: 50 }, () => ({ status: 503 })));

    const visitor = await request<{ token: string }>(
      parley.baseUrl,
      `/api/widget/${businessId}/visitors`,
      { method: 'POST' },
    );
    const sent = await request<{ message: { conversationId: string } }>(
      parley.baseUrl,
      `/api/widget/${businessId}/messages`,
      {
        bearer: visitor.body.token,
        body: {
          clientMessageId: randomUUID(),
          text: 'I want to speak to a person about my refund',
        },
      },
    );
    const conversationId = sent.body.message.conversationId;
    // The customer is told a person will answer, whatever Zendesk does.
    await eventually('the handoff', async () => {
      const conversation = await parley!.store.conversations.getById(businessId, conversationId);
      return conversation?.state === 'waiting_for_person' ? conversation : undefined;
    });
    // The ticket is queued and its first try failed.
    const queued = await eventually(
      'a failed first try',
      async () => {
        const [row] = await parley!.store.helpdesk.dueTickets(new Date(Date.now() + 3_600_000), 10);
        return row && row.attempts >= 1 ? row : undefined;
      },
      30_000,
    );
    expect(queued).toMatchObject({ conversationId, state: 'pending', ticketId: null });
    expect(queued.lastError).toContain('503');
    expect(zendesk.tickets).toEqual([]);

    await parley.stop();
    zendesk.failures.length = 0;
    parley = await start();

    const ticket = await eventually(
      'the ticket after the restart',
      () => zendesk!.tickets.find((entry) => entry.external_id === conversationId),
      60_000,
    );
    expect(ticket.comment.body).toContain('Customer: I want to speak to a person about my refund');
    expect(zendesk.tickets).toHaveLength(1);
  }, 120_000);
});
