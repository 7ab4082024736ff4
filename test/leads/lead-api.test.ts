import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { saveLeadAnswers } from '../../src/tools/leads/save-lead-answers.js';
import { verifyLeadWebhook } from '../../src/tools/leads/sign-lead-webhook.js';
import { openWidgetVisitor } from '../agent/widget-visitor.js';
import { waitFor } from '../agent/wait-for.js';
import { scriptedModel } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from '../server/support/http-client.js';
import { createOtherBusiness } from '../server/support/other-business.js';
import { createUser, DEMO_OWNER, signIn } from '../server/support/sign-in.js';

/** A delivery's body as the CRM receives it. */
interface DeliveryBody {
  id: string;
  event: string;
  data: { lead: { stage: string; previousStage: string | null } };
}

const SECRET = 'northside-crm-secret-0123456789';

interface ApiLead {
  id: string;
  stage: string;
  score: number;
  stageSetBy: string;
  answers: Record<string, unknown>;
  conversationId: string | null;
  contact: { displayName: string | null; email: string | null };
}

describe.each(backends)('leads over HTTP (%s)', (backend) => {
  let parley: TestParley;
  let owner: string;
  let staff: string;
  let crm: Server;
  const received: Array<{ body: string; signature: string; timestamp: string }> = [];
  const model = scriptedModel([
    {
      toolCalls: [
        {
          toolName: 'save_lead',
          input: { answers: { enquiry: 'custom build', riding_type: 'gravel' } },
        },
      ],
    },
    { text: 'A custom gravel build, lovely. Roughly what budget do you have in mind?' },
    {
      toolCalls: [
        {
          toolName: 'save_lead',
          input: {
            answers: { budget: 4200, timeframe: 'within a month', email: 'Jo@Example.com' },
          },
        },
      ],
    },
    { text: 'Thank you! Our builder will e-mail you shortly.' },
  ]);

  beforeAll(async () => {
    crm = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(incoming.headers['x-parley-signature']),
          timestamp: String(incoming.headers['x-parley-timestamp']),
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    const demo = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    const config = {
      ...demo,
      businessTools: {
        ...demo.businessTools!,
        leads: {
          ...demo.businessTools!.leads!,
          webhook: {
            url: `http://127.0.0.1:${(crm.address() as AddressInfo).port}/parley`,
            secret: SECRET,
            // The stand-in CRM listens on loopback: the documented opt-in for a CRM on the LAN.
            allowPrivateNetwork: true,
          },
        },
      },
    };
    parley = await startTestParley({ backend, model: model.binding, overrides: { config } });
    owner = await signIn(parley.baseUrl, DEMO_OWNER);
    const member = await createUser(parley.store, {
      businessId: parley.business.id,
      email: `staff-${backend}@northside.test`,
      role: 'staff',
    });
    staff = await signIn(parley.baseUrl, { email: member.user.email, password: member.password });
  });
  afterAll(async () => {
    await parley?.stop();
    await new Promise((resolve) => crm?.close(resolve));
  });

  it('qualifies a lead in a web chat conversation, end to end, and pushes it to the CRM', async () => {
    const visitor = await openWidgetVisitor(parley);
    await visitor.send("Hi, I'd like a custom gravel bike built");
    const [first] = await visitor.waitForAgentMessages(1);
    expect(first!.text).toContain('what budget');
    await visitor.send('About 4200, within a month. Jo@Example.com');
    const replies = await visitor.waitForAgentMessages(2);
    expect(replies[1]!.text).toContain('Our builder will e-mail you');

    const [conversation] = await visitor.conversations();
    const listed = await request<{ leads: ApiLead[] }>(parley.baseUrl, '/api/leads', {
      cookie: staff,
    });
    expect(listed.status).toBe(200);
    const lead = listed.body.leads.find((entry) => entry.conversationId === conversation!.id);
    expect(lead).toMatchObject({
      stage: 'hot',
      // custom build 20, budget ≥1500 20, ≥4000 20, within a month 20
      score: 80,
      answers: {
        enquiry: 'custom build',
        riding_type: 'gravel',
        budget: 4200,
        timeframe: 'within a month',
        email: 'jo@example.com',
      },
    });

    // Created as new, then hot: two signed pushes, in order.
    await waitFor('two CRM deliveries', () => received.length >= 2);
    const events = received.map((entry) => JSON.parse(entry.body) as DeliveryBody);
    expect(events.map((event) => [event.event, event.data.lead.stage])).toEqual([
      ['lead.created', 'new'],
      ['lead.stage_changed', 'hot'],
    ]);
    for (const entry of received) {
      expect(
        verifyLeadWebhook({
          secret: SECRET,
          body: entry.body,
          signature: entry.signature,
          timestamp: entry.timestamp,
          nowSeconds: Math.floor(Date.now() / 1000),
        }),
      ).toBe(true);
    }
    const detail = await request<{ deliveries: Array<{ status: string }> }>(
      parley.baseUrl,
      `/api/leads/${lead!.id}`,
      { cookie: owner },
    );
    await waitFor('both deliveries marked sent', async () => {
      const again = await request<{ deliveries: Array<{ status: string }> }>(
        parley.baseUrl,
        `/api/leads/${lead!.id}`,
        { cookie: owner },
      );
      return again.body.deliveries.every((entry) => entry.status === 'sent');
    });
    expect(detail.status).toBe(200);
  }, 60_000); // a whole Parley, two model turns and a CRM on a loaded machine: a bound, not a speed check

  it('filters by stage, minimum score and text; members move stages; bad input is a clear 400', async () => {
    const store = parley.store;
    const businessId = parley.business.id;
    const leadSettings = (await loadBusinessConfig(DEMO_CONFIG_PATH, {})).businessTools!.leads!;
    const contact = await store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'web', externalId: `visitor-filter-${backend}` },
      { displayName: 'Priya Browsing', email: 'priya@example.com' },
    );
    const conversation = await store.conversations.findOrOpen(businessId, contact.id, 'web');
    const { lead } = await saveLeadAnswers(
      { store, clock: { now: () => new Date() } },
      { businessId, contactId: contact.id, conversationId: conversation.id },
      leadSettings,
      { enquiry: 'bike fitting', timeframe: 'just browsing', notes: 'Knee pain on long rides' },
    );

    const byStage = await request<{ leads: ApiLead[]; pipeline: { stages: unknown[] } }>(
      parley.baseUrl,
      '/api/leads?stage=new',
      { cookie: owner },
    );
    expect(byStage.body.leads.map((entry) => entry.id)).toEqual([lead.id]);
    expect(byStage.body.pipeline.stages).toHaveLength(5);
    const byScore = await request<{ leads: ApiLead[] }>(parley.baseUrl, '/api/leads?minScore=50', {
      cookie: owner,
    });
    expect(byScore.body.leads.every((entry) => entry.score >= 50)).toBe(true);
    expect(byScore.body.leads.map((entry) => entry.id)).not.toContain(lead.id);
    const byText = await request<{ leads: ApiLead[] }>(
      parley.baseUrl,
      `/api/leads?text=${encodeURIComponent('knee PAIN')}`,
      { cookie: owner },
    );
    expect(byText.body.leads.map((entry) => entry.id)).toEqual([lead.id]);
    // Answers' values match, not their question ids.
    const byKey = await request<{ leads: ApiLead[] }>(parley.baseUrl, '/api/leads?text=timeframe', {
      cookie: owner,
    });
    expect(byKey.body.leads).toEqual([]);
    const byName = await request<{ leads: ApiLead[] }>(parley.baseUrl, '/api/leads?text=priya', {
      cookie: staff,
    });
    expect(byName.body.leads.map((entry) => entry.id)).toEqual([lead.id]);

    const badFilter = await request<ErrorResponse>(parley.baseUrl, '/api/leads?minScore=lots', {
      cookie: owner,
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.message).toContain('query.minScore: must be a whole number');

    const moved = await request<{ lead: ApiLead }>(parley.baseUrl, `/api/leads/${lead.id}`, {
      method: 'PATCH',
      cookie: staff,
      body: { stage: 'won' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.lead).toMatchObject({ stage: 'won', stageSetBy: 'person' });
    const audit = await store.audit.list(businessId, { subjectId: lead.id });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'lead.stage_set', details: { from: 'new', to: 'won' } }),
    ]);

    const notAStage = await request<ErrorResponse>(parley.baseUrl, `/api/leads/${lead.id}`, {
      method: 'PATCH',
      cookie: owner,
      body: { stage: 'platinum' },
    });
    expect(notAStage.status).toBe(400);
    expect(notAStage.body.error.message).toBe(
      '"platinum" is not a stage of this business. Use one of: new, qualified, hot, won, lost.',
    );
    const noBody = await request<ErrorResponse>(parley.baseUrl, `/api/leads/${lead.id}`, {
      method: 'PATCH',
      cookie: owner,
      body: {},
    });
    expect(noBody.status).toBe(400);
    expect((await store.leads.getById(businessId, lead.id))?.stage).toBe('won');
  });

  it('shows a business only its own leads, and nothing to someone not signed in', async () => {
    const other = await createOtherBusiness(parley.store, 'leads');
    const { lead } = await saveLeadAnswers(
      { store: parley.store, clock: { now: () => new Date() } },
      {
        businessId: other.business.id,
        contactId: other.contact.id,
        conversationId: other.conversation.id,
      },
      (await loadBusinessConfig(DEMO_CONFIG_PATH, {})).businessTools!.leads!,
      { notes: 'secret other-business lead' },
    );
    const list = await request<{ leads: ApiLead[] }>(parley.baseUrl, '/api/leads', {
      cookie: owner,
    });
    expect(list.body.leads.map((entry) => entry.id)).not.toContain(lead.id);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { stage: 'won' }],
    ] as const) {
      const response = await request<ErrorResponse>(parley.baseUrl, `/api/leads/${lead.id}`, {
        method,
        cookie: owner,
        ...(body ? { body } : {}),
      });
      expect(response.status).toBe(404);
    }
    const csv = await request<string>(parley.baseUrl, '/api/leads.csv', { cookie: owner });
    expect(csv.body).not.toContain('secret other-business lead');
    for (const path of ['/api/leads', '/api/leads.csv', `/api/leads/${lead.id}`]) {
      expect((await request(parley.baseUrl, path)).status).toBe(401);
    }
  });

  it('exports CSV with a column per question, quoting, and formulas defused', async () => {
    const store = parley.store;
    const businessId = parley.business.id;
    const settings = (await loadBusinessConfig(DEMO_CONFIG_PATH, {})).businessTools!.leads!;
    const contact = await store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'web', externalId: `visitor-csv-${backend}` },
      { displayName: '=HYPERLINK("http://evil.example","click")', email: 'csv@example.com' },
    );
    const conversation = await store.conversations.findOrOpen(businessId, contact.id, 'web');
    await saveLeadAnswers(
      { store, clock: { now: () => new Date() } },
      { businessId, contactId: contact.id, conversationId: conversation.id },
      settings,
      {
        enquiry: 'both',
        phone: '+447911123457',
        notes: 'Training for a sportive, "the big one", in May\nand @home on rollers, -5 kg',
      },
    );
    const response = await request<string>(parley.baseUrl, '/api/leads.csv?text=csv%40example', {
      cookie: staff,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const text = response.body.replace(/^\uFEFF/, '');
    const [header, row, end] = text.split('\r\n');
    expect(header).toBe(
      'lead_id,stage,score,contact_name,contact_phone,contact_email,conversation_id,created_at,updated_at,enquiry,riding_type,budget,timeframe,email,phone,notes',
    );
    expect(end).toBe('');
    expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",,csv@example.com,`);
    // The contact's e-mail is taken as the answer to the e-mail question.
    expect(row).toContain(`,both,,,,csv@example.com,'+447911123457,`);
    expect(row).toContain(`'+447911123457`);
    expect(text).toContain(
      '"Training for a sportive, ""the big one"", in May\nand @home on rollers, -5 kg"',
    );
    // both 30 + phone 10 + sportive 5
    expect(row).toMatch(/^[0-9a-f-]{36},qualified,45,/);
  });
});
