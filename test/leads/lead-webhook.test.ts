import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { LeadSettings } from '../../src/core/leads.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { LeadWebhookDispatcher } from '../../src/tools/leads/lead-webhook-dispatcher.js';
import { saveLeadAnswers } from '../../src/tools/leads/save-lead-answers.js';
import { setLeadStage } from '../../src/tools/leads/set-lead-stage.js';
import { verifyLeadWebhook } from '../../src/tools/leads/sign-lead-webhook.js';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

/** A delivery's body as the CRM receives it. */
interface DeliveryBody {
  id: string;
  event: string;
  data: { lead: { stage: string; previousStage: string | null } };
}

const SECRET = 'crm-webhook-secret-0123456789';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answeredWith: number;
}

/** A CRM's webhook endpoint: records each request and answers with the next scripted status. */
async function startCrm(
  statuses: number[],
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answeredWith = statuses.shift() ?? 200;
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answeredWith,
      });
      response.writeHead(answeredWith, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/parley`, received, server };
}

function settingsWith(url: string): LeadSettings {
  return {
    purpose: '',
    defaultCountry: 'GB',
    questions: [
      {
        id: 'budget',
        prompt: 'Budget?',
        type: 'number',
        required: true,
        choices: [],
        min: 0,
        max: null,
      },
      {
        id: 'email',
        prompt: 'E-mail?',
        type: 'email',
        required: true,
        choices: [],
        min: null,
        max: null,
      },
    ],
    scoring: [{ question: 'budget', points: 50, condition: { kind: 'atLeast', value: 1000 } }],
    stages: [
      { name: 'new', minScore: 0 },
      { name: 'qualified', minScore: 40 },
      { name: 'won', minScore: null },
    ],
    webhook: { url, secret: SECRET, allowPrivateNetwork: true },
  };
}

describe.each(backends)('CRM webhook (%s)', (backend) => {
  let database: TestDatabase;
  let store: Store;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let crm: Awaited<ReturnType<typeof startCrm>>;
  let settings: LeadSettings;
  let dispatcher: LeadWebhookDispatcher;
  let businessId: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    store = createDrizzleStore(database.db, { clock });
    // The CRM is down for the first two attempts.
    crm = await startCrm([503, 500]);
    settings = settingsWith(crm.url);
    const business = await store.businesses.upsert({
      slug: 'corner-bakery',
      name: 'Corner Bakery',
      instructions: '',
      profile: {
        description: '',
        timezone: 'Europe/London',
        languages: ['en'],
        currency: 'GBP',
        openingHours: {},
        tone: 'warm',
      },
    });
    businessId = business.id;
    dispatcher = new LeadWebhookDispatcher(
      { store, clock, webhookFor: (id) => (id === businessId ? settings.webhook : null) },
      {
        pollMs: 50,
        leaseMs: 60_000,
        batchSize: 10,
        maxAttempts: 5,
        backoffBaseMs: 1_000,
        backoffMaxMs: 60_000,
        timeoutMs: 5_000,
        random: () => 1,
      },
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => crm?.server.close(resolve));
    await database?.destroy();
  });

  it('pushes a new lead and its stage changes, signed, in order, retrying while the CRM is down', async () => {
    const contact = await store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'web', externalId: 'visitor-1' },
      { displayName: 'Ada', email: null },
    );
    const conversation = await store.conversations.findOrOpen(businessId, contact.id, 'web');
    const scope = { businessId, contactId: contact.id, conversationId: conversation.id };
    const deps = { store, clock };

    await saveLeadAnswers(deps, scope, settings, { email: 'ada@example.com' });
    // Same stage: nothing to push.
    await saveLeadAnswers(deps, scope, settings, { budget: 200 });
    const { lead } = await saveLeadAnswers(deps, scope, settings, { budget: 2000 });
    await setLeadStage(deps, {
      businessId,
      leadId: lead.id,
      stage: 'won',
      settings,
      actor: { type: 'user', id: contact.id },
    });

    // Attempt 1: the CRM answers 503. The later events wait behind the first.
    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(crm.received).toHaveLength(1);
    let deliveries = await store.leadDeliveries.listForLead(businessId, lead.id);
    expect(deliveries.map((entry) => [entry.event, entry.status, entry.attempts])).toEqual([
      ['lead.stage_changed', 'pending', 0],
      ['lead.stage_changed', 'pending', 0],
      ['lead.created', 'pending', 1],
    ]);
    expect(deliveries[2]!.lastError).toBe('The CRM answered HTTP 503.');
    // Not due before its backoff (1 s for attempt 1, jitter pinned to the ceiling).
    expect(await dispatcher.dispatchDue()).toBe(0);

    clock.advance(1_000);
    expect(await dispatcher.dispatchDue()).toBe(1); // 500
    clock.advance(2_000);
    expect(await dispatcher.dispatchDue()).toBe(1); // accepted
    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(await dispatcher.dispatchDue()).toBe(0);

    expect(crm.received.map((entry) => entry.answeredWith)).toEqual([503, 500, 200, 200, 200]);
    const bodies = crm.received.map((entry) => JSON.parse(entry.body) as DeliveryBody);
    expect(
      bodies.map((body) => [body.event, body.data.lead.previousStage, body.data.lead.stage]),
    ).toEqual([
      ['lead.created', null, 'new'],
      ['lead.created', null, 'new'],
      ['lead.created', null, 'new'],
      ['lead.stage_changed', 'new', 'qualified'],
      ['lead.stage_changed', 'qualified', 'won'],
    ]);
    // A retry is the same delivery: the CRM tells them apart by its id.
    expect(new Set(bodies.slice(0, 3).map((body) => body.id)).size).toBe(1);
    expect(crm.received[0]!.headers['x-parley-delivery']).toBe(bodies[0]!.id);
    expect(bodies[3]).toMatchObject({
      event: 'lead.stage_changed',
      data: {
        lead: {
          id: lead.id,
          score: 50,
          answers: { email: 'ada@example.com', budget: 2000 },
          contact: { id: contact.id, displayName: 'Ada' },
          conversationId: conversation.id,
        },
      },
    });

    // Every request verifies with the recipe in docs/leads.md; a tampered one does not.
    const nowSeconds = Math.floor(clock.now().getTime() / 1000);
    for (const entry of crm.received) {
      expect(entry.headers['x-parley-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(entry.headers['x-parley-event']).toMatch(/^lead\./);
      expect(
        verifyLeadWebhook({
          secret: SECRET,
          body: entry.body,
          signature: entry.headers['x-parley-signature'] as string,
          timestamp: entry.headers['x-parley-timestamp'] as string,
          nowSeconds,
        }),
      ).toBe(true);
    }
    const first = crm.received[0]!;
    const check = (change: Partial<Parameters<typeof verifyLeadWebhook>[0]>) =>
      verifyLeadWebhook({
        secret: SECRET,
        body: first.body,
        signature: first.headers['x-parley-signature'] as string,
        timestamp: first.headers['x-parley-timestamp'] as string,
        nowSeconds,
        ...change,
      });
    expect(check({ body: first.body.replace('"new"', '"won"') })).toBe(false);
    expect(check({ secret: 'another-secret-0123456789' })).toBe(false);
    expect(check({ timestamp: String(nowSeconds - 1) })).toBe(false);
    // Replayed an hour later: too old.
    expect(check({ nowSeconds: nowSeconds + 3_600 })).toBe(false);

    deliveries = await store.leadDeliveries.listForLead(businessId, lead.id);
    expect(deliveries.every((entry) => entry.status === 'sent')).toBe(true);
  });

  it('gives up after the last attempt and shows the delivery as failed, keeping the lead', async () => {
    const contact = await store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'web', externalId: 'visitor-2' },
      {},
    );
    const conversation = await store.conversations.findOrOpen(businessId, contact.id, 'web');
    const down = {
      ...settings,
      webhook: { url: 'http://127.0.0.1:1/closed', secret: SECRET, allowPrivateNetwork: true },
    };
    const { lead } = await saveLeadAnswers(
      { store, clock },
      { businessId, contactId: contact.id, conversationId: conversation.id },
      down,
      { budget: 10 },
    );
    const closed = new LeadWebhookDispatcher(
      { store, clock, webhookFor: () => down.webhook },
      {
        pollMs: 50,
        leaseMs: 60_000,
        batchSize: 10,
        maxAttempts: 2,
        backoffBaseMs: 10,
        backoffMaxMs: 10,
        timeoutMs: 2_000,
        random: () => 1,
      },
    );
    expect(await closed.dispatchDue()).toBe(1);
    clock.advance(10);
    expect(await closed.dispatchDue()).toBe(1);
    const [delivery] = await store.leadDeliveries.listForLead(businessId, lead.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2 });
    expect(delivery!.lastError).toMatch(/^The CRM could not be reached: /);
    expect(await store.leads.getById(businessId, lead.id)).toMatchObject({
      answers: { budget: 10 },
    });
  });

  it('never reaches a private address unless the business file allows it: a literal one, or a name that resolves inside', async () => {
    const crmUrl = new URL(crm.url);
    const received = crm.received.length;
    const attempt = async (
      url: string,
      resolveHost?: (name: string) => Promise<LookupAddress[]>,
      allowPrivateNetwork = false,
    ) => {
      // A new lead each time, so each attempt queues a delivery of its own.
      const contact = await store.contacts.findOrCreateByIdentity(
        businessId,
        { channel: 'web', externalId: `visitor-ssrf-${url}` },
        {},
      );
      const conversation = await store.conversations.findOrOpen(businessId, contact.id, 'web');
      const guarded = { ...settings, webhook: { url, secret: SECRET, allowPrivateNetwork } };
      const { lead } = await saveLeadAnswers(
        { store, clock },
        { businessId, contactId: contact.id, conversationId: conversation.id },
        guarded,
        { budget: 5 },
      );
      const dispatcher = new LeadWebhookDispatcher(
        {
          store,
          clock,
          webhookFor: () => guarded.webhook,
          ...(resolveHost ? { resolveHost } : {}),
        },
        {
          pollMs: 50,
          leaseMs: 60_000,
          batchSize: 10,
          maxAttempts: 1,
          backoffBaseMs: 10,
          backoffMaxMs: 10,
          timeoutMs: 2_000,
          random: () => 1,
        },
      );
      expect(await dispatcher.dispatchDue()).toBe(1);
      const [delivery] = await store.leadDeliveries.listForLead(businessId, lead.id);
      return delivery!;
    };
    // The stand-in CRM itself, by its literal loopback address.
    const literal = await attempt(crm.url);
    expect(literal).toMatchObject({ status: 'failed' });
    expect(literal.lastError).toContain(`points at 127.0.0.1`);
    expect(literal.lastError).toContain('allowPrivateNetwork: true under leads.webhook');
    // A public-looking name whose DNS answer is the CRM's loopback address (checked when
    // connecting, so a name that changes its answer after a check cannot slip through either).
    const renamed = await attempt(
      `http://crm.northside.example:${crmUrl.port}/hooks/parley`,
      (name) =>
        Promise.resolve(
          name === 'crm.northside.example' ? [{ address: '127.0.0.1', family: 4 }] : [],
        ),
    );
    expect(renamed).toMatchObject({ status: 'failed' });
    expect(renamed.lastError).toContain(
      'crm.northside.example resolves to 127.0.0.1, a private, loopback or link-local address',
    );
    expect(crm.received.length).toBe(received);

    // Even on an allowed private network, a redirect is not followed: the signed lead goes only
    // to the configured URL.
    const redirector = createServer((_request, response) => {
      response.writeHead(307, { location: crm.url }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const { port } = redirector.address() as AddressInfo;
    const redirected = await attempt(`http://127.0.0.1:${port}/hooks`, undefined, true);
    await new Promise((resolve) => redirector.close(resolve));
    expect(redirected).toMatchObject({ status: 'failed' });
    expect(redirected.lastError).toContain('HTTP 307, a redirect');
    expect(crm.received.length).toBe(received);
  });
});
