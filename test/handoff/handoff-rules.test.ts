import { describe, expect, it } from 'vitest';
import { scoreFrustration } from '../../src/agent/handoff/frustration-score.js';
import { extractComplexityRating } from '../../src/agent/handoff/complexity-rating.js';
import {
  evaluateAfterTurn,
  evaluateBeforeTurn,
  type BeforeTurnFacts,
} from '../../src/agent/handoff/evaluate-handoff-rules.js';
import { openingStatus } from '../../src/agent/handoff/opening-hours-status.js';
import { recognisePersonRequest } from '../../src/agent/handoff/person-request.js';
import { defaultHandoffPolicy } from '../../src/config/handoff-config.js';
import type { BusinessProfile } from '../../src/core/business.js';
import type { HandoffPolicy } from '../../src/core/handoff.js';
import type { Message } from '../../src/core/message.js';

const profile: BusinessProfile = {
  description: '',
  timezone: 'Europe/London',
  languages: ['en', 'es', 'de'],
  currency: 'GBP',
  tone: 'friendly',
  openingHours: {
    mon: [{ open: '09:00', close: '17:00' }],
    tue: [{ open: '09:00', close: '17:00' }],
  },
};
// Monday 12:00 and Monday 20:00 in London (BST, UTC+1).
const MONDAY_NOON = new Date('2025-06-02T11:00:00Z');
const MONDAY_EVENING = new Date('2025-06-02T19:00:00Z');

let seq = 0;
function message(text: string, author: Message['author'] = 'customer'): Message {
  seq++;
  return {
    id: `m${seq}`,
    seq,
    businessId: 'b',
    conversationId: 'c',
    channel: 'web',
    direction: author === 'customer' ? 'inbound' : 'outbound',
    author,
    authorUserId: null,
    parts: [{ type: 'text', text }],
    text,
    status: 'received',
    statusError: null,
    channelMessageId: null,
    createdAt: new Date(),
  } as unknown as Message;
}

function facts(text: string, overrides: Partial<BeforeTurnFacts> = {}): BeforeTurnFacts {
  const latest = message(text);
  return {
    profile,
    contact: null,
    newMessages: [latest],
    window: [latest],
    now: MONDAY_NOON,
    cartValueMinor: null,
    ...overrides,
  };
}

function policyWith(change: (policy: HandoffPolicy) => void): HandoffPolicy {
  const policy = defaultHandoffPolicy('GBP');
  change(policy);
  return policy;
}

function fired(decisions: ReturnType<typeof evaluateBeforeTurn>) {
  return decisions.filter((decision) => decision.fired).map((decision) => decision.trigger);
}

describe('person requests in several languages', () => {
  it.each([
    'Can I talk to a human please?',
    'I want to speak to a real person',
    '¿Puedo hablar con una persona?',
    'Quiero hablar con alguien',
    'Ich möchte mit einem Menschen sprechen',
    'Bitte einen Mitarbeiter',
    'Je voudrais parler à un conseiller',
    'Ik wil een medewerker spreken',
    'Vorrei parlare con un operatore',
    'human',
    'you are not a bot, right? I need a person',
  ])('recognises %j', (text) => {
    expect(recognisePersonRequest(text)).not.toBeNull();
  });

  it.each([
    'Do you sell helmets?',
    'What time do you open on Saturday?',
    'My order says personalised engraving, is that right?',
    'Which frame size for a 180 cm tall person who rides daily on cobbles?',
  ])('does not fire on %j', (text) => {
    expect(recognisePersonRequest(text)).toBeNull();
  });

  it("adds the owner's own phrases", () => {
    expect(recognisePersonRequest('put Sam on', ['put Sam on'])).toBe('"put Sam on"');
  });
});

describe('before-turn rules', () => {
  it('fires personRequest with evidence and marks it deciding', () => {
    const decisions = evaluateBeforeTurn(
      defaultHandoffPolicy('GBP'),
      facts('Quiero hablar con una persona'),
    );
    const person = decisions.find((decision) => decision.trigger === 'personRequest')!;
    expect(person).toMatchObject({ fired: true, deciding: true, action: 'handoff' });
    expect(person.evidence).toContain('persona');
  });

  it('logs every enabled rule, fired or not, when nothing fires', () => {
    const decisions = evaluateBeforeTurn(
      defaultHandoffPolicy('GBP'),
      facts('Do you sell helmets?'),
    );
    expect(decisions.map((decision) => decision.trigger)).toEqual([
      'personRequest',
      'frustration',
      'topics',
      'noProgress',
    ]);
    expect(decisions.every((decision) => !decision.fired && !decision.deciding)).toBe(true);
  });

  it('frustration fires above the level and not below', () => {
    expect(
      fired(
        evaluateBeforeTurn(defaultHandoffPolicy('GBP'), facts('This is RIDICULOUS and USELESS!!!')),
      ),
    ).toContain('frustration');
    expect(
      fired(
        evaluateBeforeTurn(
          defaultHandoffPolicy('GBP'),
          facts('Hmm, a bit disappointed the bell is loud'),
        ),
      ),
    ).not.toContain('frustration');
    expect(scoreFrustration('Das ist lächerlich und nutzlos').score).toBeGreaterThanOrEqual(0.7);
  });

  it('topics fire on configured words in several languages, not inside other words', () => {
    const policy = defaultHandoffPolicy('GBP');
    expect(
      evaluateBeforeTurn(policy, facts('I want a refund')).find((d) => d.trigger === 'topics')
        ?.evidence,
    ).toBe('topic refund: "refund"');
    expect(fired(evaluateBeforeTurn(policy, facts('Ich will eine Rückerstattung')))).toContain(
      'topics',
    );
    expect(
      fired(evaluateBeforeTurn(policy, facts('There is an issue with my login'))),
    ).not.toContain('topics');
  });

  it('cart value fires at the limit, not below, and says when there is no cart', () => {
    const policy = policyWith((p) => {
      p.triggers.cartValue.enabled = true;
      p.triggers.cartValue.aboveMinor = 50_000;
    });
    expect(fired(evaluateBeforeTurn(policy, facts('ok', { cartValueMinor: 50_000 })))).toContain(
      'cartValue',
    );
    expect(
      fired(evaluateBeforeTurn(policy, facts('ok', { cartValueMinor: 49_999 }))),
    ).not.toContain('cartValue');
    expect(
      evaluateBeforeTurn(policy, facts('ok')).find((d) => d.trigger === 'cartValue')?.evidence,
    ).toBe('no cart');
  });

  it('no progress fires after N repeated questions, and a person resets the count', () => {
    const policy = policyWith((p) => (p.triggers.noProgress.turns = 2));
    const window = [
      message('where is my order 1234'),
      message("Sorry, I couldn't find an answer to that.", 'agent'),
      message('where is my order 1234 please'),
      message("Sorry, I couldn't find an answer to that.", 'agent'),
      message('my order 1234 where is it'),
    ];
    const stalled = evaluateBeforeTurn(
      policy,
      facts('x', { window, newMessages: window.slice(-1) }),
    );
    expect(fired(stalled)).toContain('noProgress');
    const afterPerson = [
      ...window.slice(0, 4),
      message('Back with the assistant', 'system'),
      message('thanks, and do you sell bells?'),
    ];
    expect(
      fired(
        evaluateBeforeTurn(
          policy,
          facts('x', { window: afterPerson, newMessages: afterPerson.slice(-1) }),
        ),
      ),
    ).not.toContain('noProgress');
  });

  it('flagged contacts and keywords fire only when they match', () => {
    const policy = policyWith((p) => {
      p.triggers.flaggedContact.enabled = true;
      p.triggers.flaggedContact.contacts = ['vip@example.com'];
      p.triggers.keywords.enabled = true;
      p.triggers.keywords.words = ['wholesale'];
    });
    const vip = {
      id: 'k',
      businessId: 'b',
      displayName: null,
      phone: null,
      email: 'VIP@example.com',
      vip: false,
      flagged: false,
      createdAt: new Date(),
    };
    expect(fired(evaluateBeforeTurn(policy, facts('hello', { contact: vip })))).toEqual([
      'flaggedContact',
    ]);
    expect(fired(evaluateBeforeTurn(policy, facts('Do you do wholesale prices?')))).toEqual([
      'keywords',
    ]);
    expect(
      fired(
        evaluateBeforeTurn(
          policy,
          facts('hello', { contact: { ...vip, email: 'other@example.com' } }),
        ),
      ),
    ).toEqual([]);
  });

  it('a contact the team marked VIP or flagged fires the flagged-contact rule, with that evidence', () => {
    const policy = policyWith((p) => (p.triggers.flaggedContact.enabled = true));
    const contact = {
      id: 'k',
      businessId: 'b',
      displayName: 'Ada',
      phone: '+447700900001',
      email: null,
      vip: false,
      flagged: false,
      createdAt: new Date(),
    };
    expect(fired(evaluateBeforeTurn(policy, facts('hello', { contact })))).toEqual([]);
    const asVip = evaluateBeforeTurn(
      policy,
      facts('hello', { contact: { ...contact, vip: true } }),
    );
    expect(asVip.find((d) => d.trigger === 'flaggedContact')).toMatchObject({
      fired: true,
      evidence: 'contact marked VIP in the contact panel',
    });
    expect(
      fired(evaluateBeforeTurn(policy, facts('hello', { contact: { ...contact, flagged: true } }))),
    ).toEqual(['flaggedContact']);
    const off = policyWith((p) => (p.triggers.flaggedContact.enabled = false));
    expect(
      fired(evaluateBeforeTurn(off, facts('hello', { contact: { ...contact, vip: true } }))),
    ).toEqual([]);
  });

  it('outside opening hours fires in the evening and not at noon, in the business time zone', () => {
    const policy = policyWith((p) => (p.triggers.outsideHours.enabled = true));
    const evening = evaluateBeforeTurn(policy, facts('hello', { now: MONDAY_EVENING }));
    expect(evening.find((d) => d.trigger === 'outsideHours')).toMatchObject({
      fired: true,
      action: 'callback',
      deciding: true,
    });
    expect(evening.find((d) => d.trigger === 'outsideHours')?.evidence).toContain(
      'opens tue 09:00',
    );
    expect(fired(evaluateBeforeTurn(policy, facts('hello', { now: MONDAY_NOON })))).toEqual([]);
    expect(openingStatus(profile, MONDAY_NOON).open).toBe(true);
  });

  it('handoff beats notify when both fire', () => {
    const policy = policyWith((p) => {
      p.triggers.keywords.enabled = true;
      p.triggers.keywords.action = 'notify';
      p.triggers.keywords.words = ['wedding'];
    });
    const decisions = evaluateBeforeTurn(policy, facts('a human please, about the wedding order'));
    expect(decisions.filter((d) => d.deciding).map((d) => d.trigger)).toEqual(['personRequest']);
  });
});

describe('after-turn rules', () => {
  const policy = policyWith((p) => (p.triggers.complexity.enabled = true));
  it('complexity fires at the threshold and not below; absent rating never fires', () => {
    expect(evaluateAfterTurn(policy, { complexity: 0.9, cartValueMinor: null })[0]).toMatchObject({
      fired: true,
      deciding: true,
    });
    expect(evaluateAfterTurn(policy, { complexity: 0.2, cartValueMinor: null })[0]?.fired).toBe(
      false,
    );
    expect(evaluateAfterTurn(policy, { complexity: null, cartValueMinor: null })[0]).toMatchObject({
      fired: false,
      evidence: 'no complexity rating from the model',
    });
  });

  it('reads and strips the rating marker', () => {
    expect(extractComplexityRating('We open at nine.\n[[complexity: 0.85]]')).toEqual({
      text: 'We open at nine.',
      rating: 0.85,
    });
    expect(extractComplexityRating('No marker here')).toEqual({
      text: 'No marker here',
      rating: null,
    });
  });
});
