import { describe, expect, it } from 'vitest';
import { formatWait, waitLevel } from '../../src/web/console/components/waiting-timer.js';

describe("the inbox's waiting timer", () => {
  it('is on time under three quarters of the target, then soon, then late', () => {
    const minute = 60_000;
    expect(waitLevel(0, 5)).toBe('on-time');
    expect(waitLevel(3.7 * minute, 5)).toBe('on-time');
    expect(waitLevel(3.75 * minute, 5)).toBe('soon');
    expect(waitLevel(5 * minute - 1, 5)).toBe('soon');
    expect(waitLevel(5 * minute, 5)).toBe('late');
    expect(waitLevel(20 * minute, 30)).toBe('on-time');
  });

  it('reads as minutes:seconds, then hours, then days', () => {
    expect(formatWait(-500)).toBe('0:00');
    expect(formatWait(42_000)).toBe('0:42');
    expect(formatWait(245_000)).toBe('4:05');
    expect(formatWait((72 * 60 + 5) * 1000)).toBe('1 h 12 min');
    expect(formatWait(50 * 3600 * 1000)).toBe('2 days');
  });
});
