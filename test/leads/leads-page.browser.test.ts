import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { systemClock } from '../../src/core/clock.js';
import { saveLeadAnswers } from '../../src/tools/leads/save-lead-answers.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { launchChromium } from '../web/support/chromium.js';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url));

describe('the Leads page in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;
  let hotConversation: string;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) {
      throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
    }
    parley = await startTestParley();
    browser = await launchChromium();
    const settings = (await loadBusinessConfig(DEMO_CONFIG_PATH, {})).businessTools!.leads!;
    const seed = async (
      externalId: string,
      profile: { displayName: string; email: string },
      answers: Record<string, string | number>,
    ) => {
      const contact = await parley.store.contacts.findOrCreateByIdentity(
        parley.business.id,
        { channel: 'web', externalId },
        profile,
      );
      const conversation = await parley.store.conversations.findOrOpen(
        parley.business.id,
        contact.id,
        'web',
      );
      await saveLeadAnswers(
        { store: parley.store, clock: systemClock },
        { businessId: parley.business.id, contactId: contact.id, conversationId: conversation.id },
        settings,
        answers,
      );
      return conversation.id;
    };
    hotConversation = await seed(
      'visitor-hot',
      { displayName: 'Hana Hot', email: 'hana@example.com' },
      { enquiry: 'both', budget: 5000, timeframe: 'within 2 weeks', riding_type: 'road' },
    );
    await seed(
      'visitor-new',
      { displayName: 'Noah New', email: 'noah@example.com' },
      { enquiry: 'bike fitting', timeframe: 'just browsing' },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  async function signIn(): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('owner@demo.parley');
    await page.getByTestId('login-password').fill('demo-password-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-leads').waitFor();
    return page;
  }

  it('lists leads with stage, score and answers, filters by stage, moves a stage, exports CSV and opens the conversation', async () => {
    const page = await signIn();
    await page.getByTestId('nav-leads').click();
    await page.getByTestId('leads-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/leads');

    const rows = page.getByTestId('lead-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    // Highest score first.
    const first = rows.first();
    expect(await first.innerText()).toContain('Hana Hot');
    expect(await first.locator('.lead-score').innerText()).toBe('100');
    expect(await first.getByLabel('Stage').inputValue()).toBe('hot');
    expect(await first.locator('.lead-answers').innerText()).toMatch(
      /enquiry\s+both\s+riding type\s+road\s+budget\s+5000\s+timeframe\s+within 2 weeks/,
    );
    expect(await rows.nth(1).locator('.lead-score').innerText()).toBe('-20');

    // The stage filter shows only hot leads, and the export follows it.
    await page.getByRole('combobox', { name: 'Stage' }).first().selectOption('hot');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('leads-export').getAttribute('href')).toBe(
      '/api/leads.csv?stage=hot',
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('leads-export').click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('hana@example.com');
    expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);

    // A person moves the lead to won: stored, and marked as set by hand.
    await page.getByRole('combobox', { name: 'Stage' }).first().selectOption('');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    await rows.first().getByLabel('Stage').selectOption('won');
    await rows.first().getByText('set by hand').waitFor({ timeout: 15_000 });
    const stored = await parley.store.leads.list(parley.business.id, { stage: 'won' });
    expect(stored.map((lead) => lead.contact.displayName)).toEqual(['Hana Hot']);

    await rows.first().getByRole('link', { name: 'Open conversation' }).click();
    await expect
      .poll(() => new URL(page.url()).pathname, { timeout: 15_000 })
      .toBe(`/conversations/${hotConversation}`);
    await page.close();
  }, 120_000); // a browser, a whole Parley and a loaded machine: a generous bound, not a speed check
});
