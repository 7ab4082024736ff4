import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { startConsoleInBrowser } from './support/console-in-browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestParley } from '../support/test-parley.js';
import { request } from '../server/support/http-client.js';
import { createUser } from '../server/support/sign-in.js';

describe('the handoff policy page and the decisions in a thread, in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;

  beforeAll(async () => {
    ({ parley, browser } = await startConsoleInBrowser());
  });
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  async function signedIn(email: string, password: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
    return page;
  }

  it('the owner sees what is wrong next to the field, fixes it, saves, and a fired rule shows in the thread', async () => {
    const owner = await signedIn('owner@demo.parley', 'demo-password-123');
    await owner.getByRole('link', { name: 'Handoff' }).click();
    await expect
      .poll(() => owner.getByTestId('policy-source').innerText(), { timeout: 10_000 })
      .toContain('business file');

    await owner.getByTestId('handoff-frustration-level').fill('3');
    await owner.getByTestId('handoff-keywords-enabled').check();
    await owner.getByTestId('policy-save').click();

    const frustration = owner.getByTestId('trigger-frustration').getByTestId('field-issue');
    await expect.poll(() => frustration.innerText(), { timeout: 10_000 }).toContain('from 0 to 1');
    expect(await owner.getByTestId('policy-error').innerText()).toContain('not saved');
    const unchanged = await parley.store.handoffPolicies.get(parley.business.id);
    expect(unchanged).toBeNull();

    // With the level fixed, the rules across fields run: a keyword trigger needs words.
    await owner.getByTestId('handoff-frustration-level').fill('0.6');
    await owner.getByTestId('policy-save').click();
    await expect
      .poll(() => owner.getByTestId('trigger-keywords').getByTestId('field-issue').count(), {
        timeout: 10_000,
      })
      .toBe(1);
    expect(
      await owner.getByTestId('trigger-keywords').getByTestId('field-issue').innerText(),
    ).toContain('no words');
    expect(await owner.getByTestId('trigger-frustration').getByTestId('field-issue').count()).toBe(
      0,
    );
    expect(await parley.store.handoffPolicies.get(parley.business.id)).toBeNull();

    await owner.getByTestId('handoff-keywords-words').fill('wholesale\nbulk order');
    // The keyword trigger also opens a Zendesk ticket (the hint says when that applies).
    expect(await owner.getByTestId('notify-zendesk-hint').innerText()).toContain('zendesk:');
    await owner.getByTestId('handoff-keywords-notify-zendesk').check();
    await owner.getByTestId('policy-save').click();
    await owner.getByTestId('policy-saved').waitFor({ timeout: 10_000 });
    expect(await owner.getByTestId('field-issue').count()).toBe(0);
    const stored = await parley.store.handoffPolicies.get(parley.business.id);
    expect(stored?.policy.triggers.frustration.level).toBe(0.6);
    expect(stored?.policy.triggers.keywords).toMatchObject({
      enabled: true,
      words: ['wholesale', 'bulk order'],
      notify: ['console', 'zendesk'],
    });

    // A customer uses a keyword: the rule fires before any model runs, and the thread says why.
    const visitor = await request<{ token: string }>(
      parley.baseUrl,
      `/api/widget/${parley.business.id}/visitors`,
      { method: 'POST' },
    );
    await request(parley.baseUrl, `/api/widget/${parley.business.id}/messages`, {
      bearer: visitor.body.token,
      body: { clientMessageId: randomUUID(), text: 'Do you sell wholesale to shops?' },
    });
    await owner.getByRole('link', { name: 'Inbox' }).click();
    const item = owner.getByTestId('conversation-item').first();
    await expect.poll(() => item.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(
        async () => {
          await item.click();
          return owner.getByTestId('handoff-decisions').count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    await owner.getByTestId('handoff-decisions').locator('summary').click();
    const firedRule = owner.getByTestId('handoff-decision').first();
    expect(await firedRule.innerText()).toMatch(/Keywords[\s\S]*fired → handoff[\s\S]*wholesale/);

    // Whoever takes over reads the summary first, and sees who the customer is.
    await expect
      .poll(() => owner.getByTestId('handoff-summary').count(), { timeout: 15_000 })
      .toBe(1);
    expect(await owner.getByTestId('handoff-summary').innerText()).toContain(
      'Do you sell wholesale to shops?',
    );
    await owner.getByTestId('contact-panel').locator('summary').click();
    await owner.getByTestId('contact-vip').click();
    await expect
      .poll(() => owner.getByTestId('contact-panel').locator('summary').innerText(), {
        timeout: 10_000,
      })
      .toContain('VIP');
    const contacts = await parley.store.conversations.list(parley.business.id);
    const contact = await parley.store.contacts.getById(parley.business.id, contacts[0]!.contactId);
    expect(contact?.vip).toBe(true);
  }, 180_000);

  it('staff have no Handoff page', async () => {
    const staff = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff@demo.parley',
      role: 'staff',
    });
    const page = await signedIn('staff@demo.parley', staff.password);
    expect(await page.getByRole('link', { name: 'Handoff' }).count()).toBe(0);
  });
});
