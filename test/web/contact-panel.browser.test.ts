import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startConsoleInBrowser } from './support/console-in-browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestParley } from '../support/test-parley.js';

describe('merging two contacts from the contact panel, in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;

  beforeAll(async () => {
    ({ parley, browser } = await startConsoleInBrowser());
  });
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  it('the owner finds the same customer on WhatsApp and merges it into the web contact', async () => {
    const businessId = parley.business.id;
    const web = await parley.store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'web', externalId: `visitor-${randomUUID()}` },
      { displayName: 'Noor Web' },
    );
    const conversation = await parley.store.conversations.findOrOpen(businessId, web.id, 'web');
    const { message } = await parley.store.messages.insert({
      businessId,
      conversationId: conversation.id,
      channel: 'web',
      direction: 'outbound',
      author: 'agent',
      parts: [{ type: 'text', text: 'Welcome to the shop!' }],
      status: 'sent',
    });
    await parley.store.conversations.noteMessage(businessId, conversation.id, message);
    const whatsapp = await parley.store.contacts.findOrCreateByIdentity(
      businessId,
      { channel: 'whatsapp', externalId: '447700900555' },
      { displayName: 'Noor on WhatsApp' },
    );

    const page = await browser.newPage();
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('owner@demo.parley');
    await page.getByTestId('login-password').fill('demo-password-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('user-name').waitFor();
    await page.goto(`${parley.baseUrl}/conversations/${conversation.id}`);
    await page.getByTestId('contact-panel').locator('summary').click({ timeout: 15_000 });

    await page.getByTestId('merge-search').fill('Noor on');
    await page.getByTestId('merge-search-submit').click();
    await page.getByTestId('merge-candidate').click({ timeout: 10_000 });
    expect(await page.getByTestId('merge-confirm').innerText()).toContain('cannot be undone');
    await page.getByTestId('merge-confirm-button').click();

    await expect
      .poll(() => page.getByTestId('contact-identities').innerText(), { timeout: 10_000 })
      .toContain('WhatsApp +447700900555');
    expect(await parley.store.contacts.getById(businessId, whatsapp.id)).toBeNull();
    const identities = await parley.store.contacts.identities(businessId, web.id);
    expect(identities.map((identity) => identity.channel).sort()).toEqual(['web', 'whatsapp']);
  }, 120_000);
});
