import { describe, expect, it } from 'vitest';
import { RedactionSession } from '../../../src/models/pii/redaction-session.js';
import { StreamingRestorer } from '../../../src/models/pii/streaming-restorer.js';

describe('RedactionSession', () => {
  it('gives each distinct value one stable placeholder and restores them', () => {
    const session = new RedactionSession({ defaultCountry: 'GB', knownNames: ['Ana Costa'] });
    const first = session.redact('I am Ana Costa, card 4111 1111 1111 1111, mail ana@example.com');
    expect(first).toBe('I am [NAME_1], card [CARD_1], mail [EMAIL_1]');
    // The same card written differently later in the conversation is the same placeholder.
    expect(session.redact('again: 4111-1111-1111-1111 and ANA@example.com')).toBe(
      'again: [CARD_1] and [EMAIL_1]',
    );
    expect(session.restore('Thanks [NAME_1], we charged [CARD_1].')).toBe(
      'Thanks Ana Costa, we charged 4111 1111 1111 1111.',
    );
    expect(session.counts).toEqual({ name: 1, card: 1, email: 1 });
    expect(session.dataClasses).toEqual(['payment', 'personal']);
  });

  it('restores tool arguments deeply and leaves unknown placeholders alone', () => {
    const session = new RedactionSession();
    session.redact('send it to bob@example.org');
    expect(
      session.restoreDeep({
        to: '[EMAIL_1]',
        cc: ['[EMAIL_1]', '[EMAIL_2]'],
        count: 2,
        flag: null,
      }),
    ).toEqual({
      to: 'bob@example.org',
      cc: ['bob@example.org', '[EMAIL_2]'],
      count: 2,
      flag: null,
    });
  });

  it('classifies health talk without redacting it', () => {
    const session = new RedactionSession();
    expect(session.redact('I am pregnant, is this safe?')).toBe('I am pregnant, is this safe?');
    expect(session.dataClasses).toEqual(['health']);
    expect(session.hasRedactions).toBe(false);
  });
});

describe('StreamingRestorer', () => {
  it('restores a placeholder split across deltas and holds back only what it must', () => {
    const session = new RedactionSession();
    session.redact('my number is +44 7911 123456');
    const restorer = new StreamingRestorer(session);
    const out = [
      restorer.push('We will call [PHO'),
      restorer.push('NE_1'),
      restorer.push('] today [not a placeholder'),
      restorer.push(' at all]'),
      restorer.flush(),
    ];
    expect(out[0]).toBe('We will call ');
    expect(out[1]).toBe('');
    expect(out.join('')).toBe('We will call +44 7911 123456 today [not a placeholder at all]');
  });
});
