import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../src/channels/email/smtp-mailer.js';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import { defaultHandoffPolicy } from '../../src/config/handoff-config.js';
import { systemClock } from '../../src/core/clock.js';
import type { HandoffPolicy } from '../../src/core/handoff.js';
import { createHandoffWiring } from '../../src/server/handoff-wiring.js';
import { useAgentHarness, byAgent } from '../agent/agent-harness.js';
import { scriptedModel } from '../support/scripted-model.js';
import { waitFor } from '../agent/wait-for.js';

const harness = useAgentHarness();

// A stand-in SMTP server: accepts every message and keeps it for the test to read.
const received: Array<{ to: string[]; body: string }> = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    let body = '';
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    stream.on('end', () => {
      received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), body });
      callback();
    });
  },
});
let smtpPort = 0;
beforeAll(async () => {
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

function turnDeps(model: Parameters<typeof harness.turnDependencies>[0]) {
  const wiring = createHandoffWiring({
    store: harness.store,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    config: { business: { profile: harness.business.profile } } as never,
    primaryBusinessId: harness.business.id,
    mailer: createSmtpMailer({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      user: null,
      password: null,
      from: 'parley@shop.example',
    }),
  });
  return { ...harness.turnDependencies(model), handoff: wiring.guard };
}

function policyWith(change: (policy: HandoffPolicy) => void): HandoffPolicy {
  const policy = defaultHandoffPolicy('GBP');
  change(policy);
  return policy;
}

describe('handoff policy in an agent turn', () => {
  it('a request for a person hands off before the model: a model that would avoid it is never called', async () => {
    await harness.store.handoffPolicies.put(
      harness.business.id,
      {
        ...policyWith((p) => (p.triggers.personRequest.notify = ['console', 'email'])),
        notifications: { emailTo: ['owner@shop.example'], whatsappTo: null },
      },
      null,
    );
    // The hostile model would insist on answering itself; an empty script fails the test if called.
    const model = scriptedModel([{ text: "No need for a person, I'm all you need!" }]);
    const deps = turnDeps(model.binding);
    const customer = harness.customer();
    const { conversation } = await customer.write('Ich möchte bitte mit einem Menschen sprechen');
    const outcome = await harness.runTurn(deps, conversation.id);

    expect(outcome).toMatchObject({ kind: 'replied', handedOff: true });
    expect(model.calls).toHaveLength(0);
    const after = await harness.conversation(conversation.id);
    expect(after.state).toBe('waiting_for_person');
    expect(after.handoffReason).toContain('customer asked for a person');
    const [reply] = byAgent(await harness.messages(conversation.id));
    // The notice depends on the real clock: open, a person takes over; closed, they reply when
    // the shop opens again.
    expect(reply?.text).toMatch(
      /^(I've asked a person from Northside Cycles to take over|I've passed this to a person from Northside Cycles\. We're closed right now)/,
    );
    const decisions = await harness.store.handoffDecisions.listForConversation(
      harness.business.id,
      conversation.id,
    );
    expect(decisions.find((d) => d.deciding)).toMatchObject({
      trigger: 'personRequest',
      fired: true,
      phase: 'before',
    });
    expect(decisions.filter((d) => !d.fired).map((d) => d.trigger)).toEqual([
      'frustration',
      'topics',
      'noProgress',
    ]);
    await waitFor('the notification e-mail', () => received.length > 0);
    expect(received[0]?.to).toEqual(['owner@shop.example']);
    expect(received[0]?.body).toContain('personRequest');
  });

  it('a plain question goes to the model, every rule is logged as not fired, and the agent keeps it', async () => {
    await harness.store.handoffPolicies.put(harness.business.id, defaultHandoffPolicy('GBP'), null);
    const model = scriptedModel([{ text: 'Yes, we sell helmets from £40.' }]);
    const deps = turnDeps(model.binding);
    const { conversation } = await harness.customer().write('Do you sell helmets?');
    expect(await harness.runTurn(deps, conversation.id)).toMatchObject({ handedOff: false });
    expect((await harness.conversation(conversation.id)).state).toBe('agent');
    const decisions = await harness.store.handoffDecisions.listForConversation(
      harness.business.id,
      conversation.id,
    );
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.some((d) => d.fired)).toBe(false);
  });

  it("the model's own complexity rating hands off above the threshold, and the marker never reaches the customer", async () => {
    await harness.store.handoffPolicies.put(
      harness.business.id,
      policyWith((p) => {
        p.triggers.complexity.enabled = true;
        p.triggers.complexity.threshold = 0.7;
      }),
      null,
    );
    const model = scriptedModel([
      { text: 'Frame geometry for a custom build is tricky.\n[[complexity: 0.9]]' },
      { text: 'We open at nine.\n[[complexity: 0.1]]' },
    ]);
    const deps = turnDeps(model.binding);
    const hard = await harness
      .customer()
      .write('Can you design a custom frame for my touring trip?');
    expect(await harness.runTurn(deps, hard.conversation.id)).toMatchObject({ handedOff: true });
    expect(model.calls[0] && JSON.stringify(model.calls[0].prompt)).toContain('[[complexity');
    const [hardReply] = byAgent(await harness.messages(hard.conversation.id));
    expect(hardReply?.text).not.toContain('complexity');
    expect((await harness.conversation(hard.conversation.id)).handoffReason).toContain(
      'model rated the reply 0.9',
    );

    const easy = await harness.customer().write('When do you open?');
    expect(await harness.runTurn(deps, easy.conversation.id)).toMatchObject({ handedOff: false });
    const [easyReply] = byAgent(await harness.messages(easy.conversation.id));
    expect(easyReply?.text).toBe('We open at nine.');
  });

  it('a resolved conversation reopened by the customer starts with the agent, without looping back into handoff', async () => {
    await harness.store.handoffPolicies.put(harness.business.id, defaultHandoffPolicy('GBP'), null);
    const model = scriptedModel([{ text: 'Our shop is at 12 High Street.' }]);
    const deps = turnDeps(model.binding);
    const customer = harness.customer();
    const first = await customer.write('I want to talk to a human');
    await harness.runTurn(deps, first.conversation.id);
    expect((await harness.conversation(first.conversation.id)).state).toBe('waiting_for_person');
    const actor = { kind: 'api_key' as const, apiKeyId: 'test' };
    await changeConversationHolder(harness.inbox, {
      businessId: harness.business.id,
      conversationId: first.conversation.id,
      change: 'resolve',
      actor,
    });

    const reopened = await customer.write('Where is your shop?');
    expect(reopened.conversation.state).toBe('agent');
    expect(await harness.runTurn(deps, reopened.conversation.id)).toMatchObject({
      handedOff: false,
    });
    expect(model.calls).toHaveLength(1);
    expect((await harness.conversation(reopened.conversation.id)).state).toBe('agent');
  });

  it('a policy edited in the database overrides the file: a turned-off trigger no longer fires', async () => {
    await harness.store.handoffPolicies.put(
      harness.business.id,
      policyWith((p) => (p.triggers.personRequest.enabled = false)),
      null,
    );
    const model = scriptedModel([{ text: 'Happy to help you myself!' }]);
    const deps = turnDeps(model.binding);
    const { conversation } = await harness.customer().write('Can I talk to a person?');
    expect(await harness.runTurn(deps, conversation.id)).toMatchObject({ handedOff: false });
    expect(model.calls).toHaveLength(1);
  });
});
