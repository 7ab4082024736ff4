import { describe, expect, it } from 'vitest';
import {
  describeGraphError,
  messagingFailureAction,
  whatsappFailureAction,
} from '../../src/channels/meta/graph-error-policy.js';
import type { GraphError } from '../../src/channels/meta/graph-client.js';
import { SendPacer } from '../../src/channels/meta/send-pacer.js';
import { decideWindow } from '../../src/channels/meta/service-window.js';
import { ManualClock } from '../../src/core/clock.js';

describe('SendPacer', () => {
  it('keeps a number under its messages per second, refilling over time', () => {
    const clock = new ManualClock();
    const pacer = new SendPacer(clock, { recipientIntervalMs: 1, recipientBurst: 1_000 });
    const number = { key: 'whatsapp:1', perSecond: 80 };
    for (let index = 0; index < 80; index++) expect(pacer.reserve(number, `user-${index}`)).toBe(0);
    const wait = pacer.reserve(number, 'user-81');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(13);
    clock.advance(wait);
    expect(pacer.reserve(number, 'user-81')).toBe(0);
  });

  it('paces one recipient (pair rate: a burst, then one per 6 s) without slowing the others', () => {
    const clock = new ManualClock();
    const pacer = new SendPacer(clock, { recipientIntervalMs: 6_000, recipientBurst: 3 });
    const number = { key: 'whatsapp:1', perSecond: 80 };
    for (let index = 0; index < 3; index++) expect(pacer.reserve(number, 'ada')).toBe(0);
    expect(pacer.reserve(number, 'ada')).toBe(6_000);
    expect(pacer.reserve(number, 'grace')).toBe(0);
    clock.advance(6_000);
    expect(pacer.reserve(number, 'ada')).toBe(0);
  });

  it('holds an account or a recipient when Meta says it is over its limit', () => {
    const clock = new ManualClock();
    const pacer = new SendPacer(clock);
    const number = { key: 'whatsapp:1', perSecond: 80 };
    pacer.pauseAccount(number, 2_000);
    expect(pacer.reserve(number, 'ada')).toBe(2_000);
    clock.advance(2_000);
    expect(pacer.reserve(number, 'ada')).toBe(0);
    pacer.pauseRecipient(number.key, 'ada', 16_000);
    expect(pacer.reserve(number, 'ada')).toBe(16_000);
    expect(pacer.reserve(number, 'grace')).toBe(0);
  });
});

describe('service window', () => {
  const now = new Date('2026-03-02T12:00:00Z');
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

  it('is open for 24 hours after the customer last wrote, on every Meta channel', () => {
    for (const channel of ['whatsapp', 'messenger', 'instagram'] as const) {
      expect(
        decideWindow({ channel, author: 'agent', lastCustomerMessageAt: hoursAgo(23.9), now }),
      ).toEqual({ kind: 'open' });
    }
  });

  it('lets only a person answer on Messenger/Instagram up to 7 days later, with HUMAN_AGENT', () => {
    expect(
      decideWindow({
        channel: 'messenger',
        author: 'person',
        lastCustomerMessageAt: hoursAgo(30),
        now,
      }),
    ).toEqual({ kind: 'human-agent' });
    expect(
      decideWindow({
        channel: 'instagram',
        author: 'agent',
        lastCustomerMessageAt: hoursAgo(30),
        now,
      }),
    ).toMatchObject({ kind: 'closed' });
    expect(
      decideWindow({
        channel: 'messenger',
        author: 'person',
        lastCustomerMessageAt: hoursAgo(24 * 7 + 1),
        now,
      }),
    ).toMatchObject({ kind: 'closed' });
    expect(
      decideWindow({
        channel: 'whatsapp',
        author: 'person',
        lastCustomerMessageAt: hoursAgo(30),
        now,
      }),
    ).toMatchObject({ kind: 'closed' });
    expect(
      decideWindow({ channel: 'whatsapp', author: 'agent', lastCustomerMessageAt: null, now }),
    ).toMatchObject({ kind: 'closed' });
  });
});

describe('Graph error policy', () => {
  const error = (code: number | null, extra: Partial<GraphError> = {}): GraphError => ({
    httpStatus: 400,
    code,
    subcode: null,
    title: `error ${code}`,
    details: null,
    ...extra,
  });

  it.each([
    [131047, 'window-closed'],
    [130429, 'throttle-account'],
    [4, 'throttle-account'],
    [80007, 'throttle-account'],
    [131056, 'throttle-recipient'],
    [190, 'token'],
    [0, 'token'],
    [131000, 'retry'],
    [1, 'retry'],
    [2, 'retry'],
    [131016, 'retry'],
    [131057, 'retry'],
    [131026, 'permanent'],
    [131048, 'permanent'],
    [131049, 'permanent'],
    [131050, 'permanent'],
    [131051, 'permanent'],
    [131052, 'permanent'],
    [131053, 'permanent'],
    [132000, 'permanent'],
    [132001, 'permanent'],
    [132012, 'permanent'],
    [132015, 'permanent'],
    [132016, 'permanent'],
    [368, 'permanent'],
    [131031, 'permanent'],
    [130472, 'permanent'],
  ] as const)('WhatsApp %i → %s', (code, kind) => {
    expect(whatsappFailureAction(error(code), 1).kind).toBe(kind);
  });

  it('alerts the owner for what they must fix, not for a customer who cannot receive', () => {
    expect(whatsappFailureAction(error(131026), 1)).toEqual({ kind: 'permanent', alert: false });
    expect(whatsappFailureAction(error(132001), 1)).toEqual({ kind: 'permanent', alert: true });
    expect(whatsappFailureAction(error(368), 1)).toEqual({ kind: 'permanent', alert: true });
  });

  it('backs the pair rate off by 4^attempt seconds, and throughput exponentially', () => {
    expect(whatsappFailureAction(error(131056), 1)).toEqual({
      kind: 'throttle-recipient',
      delayMs: 4_000,
    });
    expect(whatsappFailureAction(error(131056), 3)).toEqual({
      kind: 'throttle-recipient',
      delayMs: 64_000,
    });
    expect(whatsappFailureAction(error(130429), 3)).toEqual({
      kind: 'throttle-account',
      delayMs: 4_000,
    });
  });

  it('retries what has no code but a 5xx, 429 or no answer; refuses other 4xx', () => {
    expect(whatsappFailureAction(error(null, { httpStatus: 502 }), 1).kind).toBe('retry');
    expect(whatsappFailureAction(error(null, { httpStatus: 0 }), 1).kind).toBe('retry');
    expect(whatsappFailureAction(error(null, { httpStatus: 429 }), 1).kind).toBe('retry');
    expect(whatsappFailureAction(error(99999), 1).kind).toBe('permanent');
  });

  it('reads Messenger codes: outside the window, unavailable users, rate limits', () => {
    expect(messagingFailureAction(error(10, { subcode: 2018278 }), 1).kind).toBe('window-closed');
    expect(messagingFailureAction(error(551), 1)).toEqual({ kind: 'permanent', alert: false });
    expect(messagingFailureAction(error(100, { subcode: 2018001 }), 1)).toEqual({
      kind: 'permanent',
      alert: false,
    });
    expect(messagingFailureAction(error(613), 1).kind).toBe('throttle-account');
    expect(messagingFailureAction(error(1200), 1).kind).toBe('retry');
    expect(messagingFailureAction(error(190), 1).kind).toBe('token');
  });

  it('describes an error by code, title and details', () => {
    expect(
      describeGraphError(
        error(131026, { title: 'Message undeliverable', details: 'Not on WhatsApp' }),
      ),
    ).toBe('131026 Message undeliverable: Not on WhatsApp');
  });
});
