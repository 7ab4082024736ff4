import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from '../server/support/http-client.js';
import { createOtherBusiness } from '../server/support/other-business.js';
import { createUser, DEMO_OWNER, signIn } from '../server/support/sign-in.js';
import { nextDay, seedAnalytics } from './support/seed-analytics.js';

interface Analytics {
  from: string;
  to: string;
  timezone: string;
  days: Array<{ date: string; byChannel: Record<string, number>; total: number }>;
  channels: string[];
  total: number;
  resolvedByAgent: number;
  handedOff: number;
  handedOffByCause: Record<string, number>;
  medianFirstResponseSeconds: number | null;
  medianFirstResponseAgentSeconds: number | null;
  medianFirstResponsePersonSeconds: number | null;
  medianResolutionSeconds: number | null;
}

const DAY = '2026-06-01';

describe.each(backends)('GET /api/analytics (%s)', (backend) => {
  let parley: TestParley;
  let owner: string;
  let staff: string;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    const staffUser = await createUser(parley.store, {
      businessId: parley.business.id,
      email: `staff-analytics-${backend}@demo.parley`,
      role: 'staff',
    });
    owner = await signIn(parley.baseUrl, DEMO_OWNER);
    staff = await signIn(parley.baseUrl, {
      email: staffUser.user.email,
      password: staffUser.password,
    });
    await seedAnalytics({
      db: parley.database.db,
      live: parley.live,
      businessId: parley.business.id,
      personUserId: staffUser.user.id,
      day: DAY,
    });
    // Another business with the same conversations on the same days: none of them may count.
    const other = await createOtherBusiness(parley.store, 'analytics');
    const otherUser = await createUser(parley.store, {
      businessId: other.business.id,
      email: `other-analytics-${backend}@other.parley`,
      role: 'staff',
    });
    await seedAnalytics({
      db: parley.database.db,
      live: parley.live,
      businessId: other.business.id,
      personUserId: otherUser.user.id,
      day: DAY,
    });
  });

  afterAll(async () => {
    await parley?.stop();
  });

  const get = (query: string, cookie = owner) =>
    request<Analytics>(parley.baseUrl, `/api/analytics?${query}`, { cookie });

  it('counts conversations per local day and channel, handoffs by trigger, and the medians', async () => {
    const response = await get(`from=${DAY}&to=${nextDay(DAY)}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body;
    expect(body.timezone).toBe('Europe/London');
    expect(body.days).toEqual([
      {
        date: '2026-06-01',
        byChannel: { instagram: 0, messenger: 0, web: 1, whatsapp: 1 },
        total: 2,
      },
      {
        date: '2026-06-02',
        byChannel: { instagram: 1, messenger: 1, web: 0, whatsapp: 0 },
        total: 2,
      },
    ]);
    expect(body.channels).toEqual(['instagram', 'messenger', 'web', 'whatsapp']);
    expect(body.total).toBe(4);
    expect(body.resolvedByAgent).toBe(1);
    expect(body.handedOff).toBe(2);
    expect(body.handedOffByCause).toEqual({ personRequest: 1, takeOver: 1 });
    expect(body.medianFirstResponseSeconds).toBe(60);
    expect(body.medianFirstResponseAgentSeconds).toBe(30);
    expect(body.medianFirstResponsePersonSeconds).toBe(120);
    expect(body.medianResolutionSeconds).toBe(1800);
  });

  it('puts 23:30 UTC on the next day in the business time zone, and fills empty days', async () => {
    const first = await get(`from=${DAY}&to=${DAY}`);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(2);
    expect(first.body.days).toEqual([{ date: DAY, byChannel: { web: 1, whatsapp: 1 }, total: 2 }]);
    expect(first.body.medianResolutionSeconds).toBe(600 + (3600 - 600) / 2);

    const week = await get('from=2026-05-28&to=2026-06-03');
    expect(week.body.days.map((day) => day.total)).toEqual([0, 0, 0, 0, 2, 2, 0]);

    const empty = await get('from=2025-01-01&to=2025-01-31');
    expect(empty.status).toBe(200);
    expect(empty.body.total).toBe(0);
    expect(empty.body.days).toHaveLength(31);
    expect(empty.body.medianFirstResponseSeconds).toBeNull();
    expect(empty.body.medianResolutionSeconds).toBeNull();
    expect(empty.body.handedOffByCause).toEqual({});
  });

  it('is open to staff, and closed without a session', async () => {
    const asStaff = await get(`from=${DAY}&to=${DAY}`, staff);
    expect(asStaff.status).toBe(200);
    expect(asStaff.body.total).toBe(2);
    const anonymous = await request(parley.baseUrl, `/api/analytics?from=${DAY}&to=${DAY}`);
    expect(anonymous.status).toBe(401);
  });

  it('refuses a range it cannot read, saying what to send instead', async () => {
    const cases: Array<[string, RegExp]> = [
      ['to=2026-06-01', /from/],
      ['from=2026-06-01', /to/],
      ['from=June&to=2026-06-01', /YYYY-MM-DD/],
      ['from=2026-02-30&to=2026-03-01', /calendar date.*2026-02-30/],
      ['from=2026-06-02&to=2026-06-01', /after "to".*swap/],
      ['from=2025-01-01&to=2026-01-02', /367 days.*at most 366/],
    ];
    for (const [query, message] of cases) {
      const response = await request<ErrorResponse>(parley.baseUrl, `/api/analytics?${query}`, {
        cookie: owner,
      });
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('validation_failed');
      expect(response.body.error.message, query).toMatch(message);
    }
    const leapYear = await get('from=2024-01-01&to=2024-12-31');
    expect(leapYear.status).toBe(200);
    expect(leapYear.body.days).toHaveLength(366);
  });
});
