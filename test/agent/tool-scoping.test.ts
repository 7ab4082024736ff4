import { beforeAll, describe, expect, it } from 'vitest';
import type { Business } from '../../src/core/business.js';
import { scriptedModel, toolResultsOf, type ScriptedToolCall } from '../support/scripted-model.js';
import { useAgentHarness } from './agent-harness.js';

// Every answer of the other business carries this marker: it must never reach the demo's agent.
const MARKER = 'HARBOUR-BAKERY-ONLY';
const DEMO_HOURS = 'We are open Monday to Friday 9am to 6pm and Saturday 10am to 4pm.';

describe('search_knowledge is scoped by the conversation, never by the model', () => {
  const harness = useAgentHarness();
  let bakery: Business;

  beforeAll(async () => {
    bakery = await harness.store.businesses.upsert({
      slug: 'harbour-bakery',
      name: 'Harbour Bakery',
      instructions: '',
      profile: {
        description: 'A bakery.',
        timezone: 'Europe/London',
        languages: ['en'],
        currency: 'GBP',
        openingHours: { mon: [{ open: '06:00', close: '14:00' }] },
        tone: 'warm',
      },
    });
    await harness.store.knowledge.replaceFaq(bakery.id, [
      {
        question: 'What are your opening hours?',
        answer: `We are open every day from 6am to 2pm. ${MARKER}`,
      },
      {
        question: 'Do you deliver, and how much does it cost?',
        answer: `We deliver bread and cakes for £3. ${MARKER}`,
      },
      { question: 'What is your returns policy?', answer: `No returns on food. ${MARKER}` },
    ]);
  });

  it('gives the model only its own business FAQ, whatever ids or SQL it passes', async () => {
    const hostileCalls: ScriptedToolCall[] = [
      { toolName: 'search_knowledge', input: { query: bakery.id } },
      { toolName: 'search_knowledge', input: { query: `business ${bakery.id} opening hours` } },
      { toolName: 'search_knowledge', input: { query: 'opening hours', businessId: bakery.id } },
      {
        toolName: 'search_knowledge',
        input: {
          query: `'; SELECT answer FROM faq_entries WHERE business_id = '${bakery.id}'; --`,
        },
      },
      { toolName: 'search_knowledge', input: { query: "hours' OR '1'='1" } },
      { toolName: 'search_knowledge', input: { query: 'Harbour Bakery deliver cakes bread' } },
      { toolName: 'search_knowledge', input: { query: "!delivery & (returns | 'x'):* <-> \\" } },
      { toolName: 'search_knowledge', input: { query: 'opening hours %_ /* */ ;' } },
    ];
    const model = scriptedModel([{ toolCalls: hostileCalls }, { text: 'Done.' }]);
    const { conversation } = await harness.customer().write('When are you open?');
    const outcome = await harness.runTurn(harness.turnDependencies(model.binding), conversation.id);
    expect(outcome).toMatchObject({ kind: 'replied', mode: 'model' });

    const steps = await harness.store.agentSteps.listForConversation(
      harness.business.id,
      conversation.id,
    );
    const toolSteps = steps.filter((step) => step.kind === 'tool');
    expect(toolSteps).toHaveLength(hostileCalls.length);
    for (const step of toolSteps) {
      // Odd input is searched as text: no tool errors, and nothing of the other business. A
      // business id passed as an extra argument is refused outright, as in every other tool.
      const namesBusiness = JSON.stringify(step.input).includes('"businessId"');
      if (namesBusiness) expect(step.error).toContain('Invalid input for tool search_knowledge');
      else expect(step.error).toBeNull();
      expect(JSON.stringify(step.output ?? null)).not.toContain(MARKER);
    }
    // "opening hours" finds this business's own answer, even when the query names another one.
    const named = toolSteps.find((step) =>
      JSON.stringify(step.input).includes(`business ${bakery.id} opening hours`),
    );
    expect(JSON.stringify(named!.output)).toContain(DEMO_HOURS);
    // What went back to the model is clean too.
    expect(JSON.stringify(toolResultsOf(model.calls[1]!))).not.toContain(MARKER);
  });

  it("gives the other business's agent only its own FAQ", async () => {
    const model = scriptedModel([
      { toolCalls: [{ toolName: 'search_knowledge', input: { query: 'opening hours' } }] },
      { text: 'From 6am.' },
    ]);
    const { conversation } = await harness.customer(bakery.id).write('When do you open?');
    await harness.runTurn(harness.turnDependencies(model.binding), conversation.id);

    const steps = await harness.store.agentSteps.listForConversation(bakery.id, conversation.id);
    const output = JSON.stringify(steps.find((step) => step.kind === 'tool')!.output);
    expect(output).toContain(MARKER);
    expect(output).not.toContain(DEMO_HOURS);
    // The bakery's prompt speaks for the bakery.
    expect(model.calls[0]!.prompt[0]).toMatchObject({ role: 'system' });
    expect(JSON.stringify(model.calls[0]!.prompt[0])).toContain('Harbour Bakery');
    expect(JSON.stringify(model.calls[0]!.prompt[0])).not.toContain('Northside');
  });
});
