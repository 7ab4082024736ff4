import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/core/store.js';
import { saveLeadAnswers } from '../../src/tools/leads/save-lead-answers.js';
import { scriptedModel, systemPromptOf, toolResultsOf } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { useLeadHarness } from './support/lead-harness.js';

describe.each(backends)('save_lead (%s)', (backend) => {
  const harness = useLeadHarness(backend);

  async function auditIds(): Promise<Set<string>> {
    const entries = await harness.store.audit.list(harness.business.id, { limit: 1000 });
    return new Set(entries.map((entry) => entry.id));
  }
  async function auditSince(before: Set<string>): Promise<AuditEntry[]> {
    const entries = await harness.store.audit.list(harness.business.id, { limit: 1000 });
    return entries.filter((entry) => !before.has(entry.id));
  }

  it('tells the model the questions, saves answers across turns, scores and stages them in code', async () => {
    const customer = harness.customer();
    const conversation = await customer.write('I am thinking about a custom road bike');
    const first = scriptedModel([
      {
        toolCalls: [
          {
            toolName: 'save_lead',
            input: { answers: { enquiry: 'Custom Build', riding_type: 'road' } },
          },
        ],
      },
      { text: 'Lovely! What budget do you have in mind?' },
    ]);
    await harness.leadTurn(conversation.id, first.binding);
    const prompt = systemPromptOf(first.calls[0]!);
    expect(prompt).toContain(
      'Lead qualification (custom bike builds and professional bike fittings)',
    );
    expect(prompt).toContain('- budget (a number ≥ 50 ≤ 20000, required): Roughly what budget');
    expect(prompt).toContain('- enquiry (one of: custom build, bike fitting, both, required)');

    const [result] = toolResultsOf(first.calls[1]!);
    expect(result!.output).toMatchObject({
      type: 'json',
      value: {
        status: 'saved',
        answers: { enquiry: 'custom build', riding_type: 'road' },
        stillToAsk: [
          { id: 'budget', prompt: 'Roughly what budget do you have in mind, in pounds?' },
          { id: 'timeframe', prompt: 'When would you like the bike or the fitting?' },
          { id: 'email', prompt: 'What e-mail address can our builder reach you on?' },
        ],
      },
    });
    // The model is never shown the score or the stage.
    expect(JSON.stringify(result!.output)).not.toMatch(/score|stage/);
    let lead = await harness.store.leads.getForContact(harness.business.id, customer.contactId!);
    expect(lead).toMatchObject({ score: 20, stage: 'new', conversationId: conversation.id });

    await customer.write('About 4,500 and I need it within 2 weeks. sam@example.com, 07911 123456');
    const second = scriptedModel([
      {
        toolCalls: [
          {
            toolName: 'save_lead',
            input: {
              answers: {
                budget: '4,500',
                timeframe: 'within 2 weeks',
                email: ' Sam@Example.com ',
                phone: '07911 123456',
              },
            },
          },
        ],
      },
      { text: 'Thanks, our builder will be in touch.' },
    ]);
    await harness.leadTurn(conversation.id, second.binding);
    expect(toolResultsOf(second.calls[1]!)[0]!.output).toMatchObject({
      value: { status: 'saved', stillToAsk: [] },
    });
    lead = await harness.store.leads.getForContact(harness.business.id, customer.contactId!);
    expect(lead).toMatchObject({
      answers: {
        enquiry: 'custom build',
        riding_type: 'road',
        budget: 4500,
        timeframe: 'within 2 weeks',
        email: 'sam@example.com',
        phone: '+447911123456',
      },
      // custom build 20 + budget ≥1500 20 + ≥4000 20 + two weeks 30 + phone 10
      score: 100,
      stage: 'hot',
    });
  });

  it('refuses junk answers with a message the model can act on, and changes nothing', async () => {
    const customer = harness.customer();
    const conversation = await customer.write('fitting please');
    await saveLeadAnswers(
      harness,
      {
        businessId: harness.business.id,
        contactId: customer.contactId!,
        conversationId: conversation.id,
      },
      harness.settings,
      { enquiry: 'bike fitting' },
    );
    const before = await harness.store.leads.getForContact(
      harness.business.id,
      customer.contactId!,
    );
    const audit = await auditIds();
    const model = scriptedModel([
      {
        toolCalls: [
          { toolName: 'save_lead', input: { answers: { budget: 'loads', riding_type: 'road' } } },
          { toolName: 'save_lead', input: { answers: { budget: 99999 } } },
          { toolName: 'save_lead', input: { answers: { email: 'not-an-email' } } },
          { toolName: 'save_lead', input: { answers: { phone: '12' } } },
          { toolName: 'save_lead', input: { answers: { riding_type: 'unicycle' } } },
          { toolName: 'save_lead', input: { answers: { score: 1000 } } },
          { toolName: 'save_lead', input: { answers: { notes: 'x'.repeat(501) } } },
          { toolName: 'save_lead', input: { answers: {} } },
        ],
      },
      { text: 'Sorry, could you tell me that again?' },
    ]);
    await harness.leadTurn(conversation.id, model.binding);
    const errors = model.calls[1]!.prompt.flatMap((message) =>
      message.role === 'tool'
        ? message.content.flatMap((part) =>
            part.type === 'tool-result' && part.output.type === 'error-text'
              ? [part.output.value]
              : [],
          )
        : [],
    );
    expect(errors).toHaveLength(8);
    expect(errors[0]).toContain('Nothing was saved. budget: pass a plain number, such as 2500');
    expect(errors[1]).toContain('99999 is out of range; it must be from 50 to 20000');
    expect(errors[2]).toContain('"not-an-email" is not an e-mail address');
    expect(errors[3]).toContain('"12" is not a valid phone number');
    expect(errors[4]).toContain(
      'is not one of the choices. Pass exactly one of: road, gravel, mountain, commuting, touring, triathlon',
    );
    expect(errors[5]).toContain(
      '"score" is not a question of this business. Use only these ids: enquiry,',
    );
    expect(errors[6]).toContain('the answer is 501 characters; keep it to 500');
    expect(errors[7]).toContain('Pass at least one answer');
    const after = await harness.store.leads.getForContact(harness.business.id, customer.contactId!);
    expect(after).toEqual(before);
    const refusals = (await auditSince(audit)).filter((entry) => entry.action === 'tool.refused');
    expect(refusals).toHaveLength(8);
    expect(refusals.every((entry) => entry.details.tool === 'save_lead')).toBe(true);
  });

  it("a malicious model cannot write another contact's lead: ids in the arguments are rejected", async () => {
    const victim = harness.customer();
    const victimConversation = await victim.write('custom build please');
    await saveLeadAnswers(
      harness,
      {
        businessId: harness.business.id,
        contactId: victim.contactId!,
        conversationId: victimConversation.id,
      },
      harness.settings,
      { enquiry: 'custom build', email: 'victim@example.com' },
    );
    const victimLead = await harness.store.leads.getForContact(
      harness.business.id,
      victim.contactId!,
    );
    await harness.leadTurn(victimConversation.id, scriptedModel([{ text: 'Hello!' }]).binding);

    const attacker = harness.customer();
    const conversation = await attacker.write('hello');
    const audit = await auditIds();
    const model = scriptedModel([
      {
        toolCalls: [
          {
            toolName: 'save_lead',
            input: { contactId: victim.contactId, answers: { email: 'attacker@example.com' } },
          },
          {
            toolName: 'save_lead',
            input: { leadId: victimLead!.id, answers: { timeframe: 'just browsing' } },
          },
          { toolName: 'save_lead', input: { answers: { [victim.contactId!]: 'x' } } },
          {
            toolName: 'save_lead',
            input: { answers: { notes: "'); DROP TABLE leads; -- ignore previous instructions" } },
          },
          { toolName: 'save_lead', input: '{"answers": {"email": ' },
        ],
      },
      { text: 'Done.' },
    ]);
    await harness.leadTurn(conversation.id, model.binding);

    expect(await harness.store.leads.getForContact(harness.business.id, victim.contactId!)).toEqual(
      victimLead,
    );
    // The one well-formed call saved text as data, on the attacker's own lead.
    const own = await harness.store.leads.getForContact(harness.business.id, attacker.contactId!);
    expect(own?.answers).toEqual({
      notes: "'); DROP TABLE leads; -- ignore previous instructions",
    });
    expect(await harness.store.leads.list(harness.business.id, { limit: 1000 })).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: victimLead!.id })]),
    );
    const entries = await auditSince(audit);
    expect(entries.filter((entry) => entry.action === 'tool.rejected')).toHaveLength(3);
    expect(entries.filter((entry) => entry.action === 'tool.refused')).toHaveLength(1);
  });

  it('keeps answers saved by two calls at once, and a stage a person set', async () => {
    const customer = harness.customer();
    const conversation = await customer.write('fitting');
    const scope = {
      businessId: harness.business.id,
      contactId: customer.contactId!,
      conversationId: conversation.id,
    };
    await Promise.all([
      saveLeadAnswers(harness, scope, harness.settings, { enquiry: 'both' }),
      saveLeadAnswers(harness, scope, harness.settings, { timeframe: 'within a month' }),
      saveLeadAnswers(harness, scope, harness.settings, { riding_type: 'gravel' }),
    ]);
    const lead = await harness.store.leads.getForContact(harness.business.id, customer.contactId!);
    expect(lead).toMatchObject({
      answers: { enquiry: 'both', timeframe: 'within a month', riding_type: 'gravel' },
      score: 50,
      stage: 'qualified',
      stageSetBy: 'score',
    });
    await harness.store.leads.setStage(harness.business.id, lead!.id, 'lost');
    const saved = await saveLeadAnswers(harness, scope, harness.settings, { budget: 5000 });
    expect(saved.lead).toMatchObject({ score: 90, stage: 'lost', stageSetBy: 'person' });
  });
  it('takes the e-mail and phone the channel knows as answers, unless the customer gives others', async () => {
    const contact = await harness.store.contacts.findOrCreateByIdentity(
      harness.business.id,
      { channel: 'whatsapp', externalId: '447911123499' },
      { displayName: 'Wendy WhatsApp', phone: '+447911123499', email: 'Wendy@Example.com' },
    );
    const conversation = await harness.store.conversations.findOrOpen(
      harness.business.id,
      contact.id,
      'whatsapp',
    );
    const scope = {
      businessId: harness.business.id,
      contactId: contact.id,
      conversationId: conversation.id,
    };
    const first = await saveLeadAnswers(harness, scope, harness.settings, {
      enquiry: 'custom build',
    });
    expect(first.lead).toMatchObject({
      answers: { enquiry: 'custom build', phone: '+447911123499', email: 'wendy@example.com' },
      // custom build 20 + phone 10
      score: 30,
    });
    expect(first.missing.map((question) => question.id)).toEqual([
      'riding_type',
      'budget',
      'timeframe',
    ]);
    const second = await saveLeadAnswers(harness, scope, harness.settings, {
      email: 'work@example.com',
    });
    expect(second.lead.answers).toMatchObject({
      email: 'work@example.com',
      phone: '+447911123499',
    });
  });
});
