import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnalytics } from '../analytics/support/seed-analytics.js';
import { createUser } from '../server/support/sign-in.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { launchChromium } from './support/chromium.js';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url));

describe('the Analytics page in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;
  let staff: { email: string; password: string };

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) {
      throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
    }
    parley = await startTestParley();
    browser = await launchChromium();
    const created = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'sam@demo.parley',
      role: 'staff',
      name: 'Sam',
    });
    staff = { email: created.user.email, password: created.password };
    // Three days ago: both seeded days fall inside "Last 7 days" whatever the time zone.
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await seedAnalytics({
      db: parley.database.db,
      live: parley.live,
      businessId: parley.business.id,
      personUserId: created.user.id,
      day,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  async function signIn(credentials: { email: string; password: string }): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill(credentials.email);
    await page.getByTestId('login-password').fill(credentials.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-analytics').waitFor();
    return page;
  }

  it('shows the seeded conversations, the agent/person share with triggers, and the medians', async () => {
    const page = await signIn({ email: 'owner@demo.parley', password: 'demo-password-123' });
    await page.getByTestId('nav-analytics').click();
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    const summary = page.getByTestId('analytics-summary');
    await expect.poll(() => summary.textContent()).toContain('4 conversations opened');
    expect(await summary.textContent()).toContain('Europe/London');

    const chart = page.getByTestId('analytics-day-chart');
    expect(await chart.locator('g[data-date]').count()).toBe(7);
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('title').first().textContent()).toContain('4 conversations');
    const perDay = await chart
      .locator('g[data-date]')
      .evaluateAll((groups) => groups.map((group) => Number(group.getAttribute('data-total'))));
    expect(perDay.reduce((sum, count) => sum + count, 0)).toBe(4);
    expect(await chart.locator('rect').count()).toBe(4);
    for (const channel of ['whatsapp', 'web', 'instagram', 'messenger']) {
      expect(await page.getByTestId(`analytics-channel-${channel}`).textContent()).toMatch(/: 1$/);
    }
    expect(await page.getByTestId('analytics-channel-whatsapp').textContent()).toBe('WhatsApp: 1');

    expect(await page.getByTestId('analytics-resolved-by-agent').textContent()).toBe(
      'Resolved by the agent: 1 (33%)',
    );
    expect(await page.getByTestId('analytics-handed-off').textContent()).toBe(
      'Handed off to a person: 2 (67%)',
    );
    const causes = await page.getByTestId('analytics-causes').locator('li').allTextContents();
    expect(causes.sort()).toEqual(['A person took over1', 'Asked for a person1']);
    expect(
      await page
        .getByRole('img', { name: /Resolved by the agent 1 \(33%\), handed off 2/ })
        .count(),
    ).toBe(1);

    expect(await page.getByTestId('analytics-first-response').textContent()).toBe('1 min');
    expect(await page.getByText('Agent 30 s · person 2 min').count()).toBe(1);
    expect(await page.getByTestId('analytics-resolution').textContent()).toBe('30 min');

    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await expect.poll(() => chart.locator('g[data-date]').count()).toBe(30);
    expect(await summary.textContent()).toContain('4 conversations opened');
    await page.close();
  });

  it('is in the staff navigation too', async () => {
    const page = await signIn(staff);
    await page.getByTestId('nav-analytics').click();
    await expect.poll(() => page.getByTestId('analytics-resolution').textContent()).toBe('30 min');
    await page.close();
  });
});
