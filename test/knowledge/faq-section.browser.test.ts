import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../agent/wait-for.js';
import { createUser } from '../server/support/sign-in.js';
import type { TestParley } from '../support/test-parley.js';
import { startConsoleInBrowser } from '../web/support/console-in-browser.js';

const HOURS = 'What are your opening hours?';

describe('the FAQ on the Knowledge page in a real browser', () => {
  let parley: TestParley;
  let browser: Browser;

  beforeAll(async () => {
    ({ parley, browser } = await startConsoleInBrowser());
  });
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });

  async function openKnowledge(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('owner@demo.parley');
    await page.getByTestId('login-password').fill('demo-password-123');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-knowledge').click();
    await page.getByTestId('faq-section').waitFor();
    return page;
  }

  const stored = async () => parley.store.knowledge.listFaq(parley.business.id);

  it('the owner adds, edits and deletes entries; a rejected field is explained under it', async () => {
    const page = await openKnowledge();
    const section = page.getByTestId('faq-section');
    const entry = (question: string) =>
      page.getByTestId('faq-entry').filter({ has: page.locator('dt', { hasText: question }) });
    await entry(HOURS).waitFor();
    expect(await entry(HOURS).innerText()).toContain('From the business file');

    // Adding with an empty answer: the server's message appears under the answer field.
    const addForm = section.getByTestId('faq-form').last();
    await addForm.getByLabel('Question').fill('Do you sell gift cards?');
    await addForm.getByRole('button', { name: 'Add' }).click();
    const issue = addForm.getByTestId('field-issue');
    await issue.waitFor();
    expect(await issue.innerText()).toBe('Write the answer the agent should give.');
    expect(await addForm.getByLabel('Answer').getAttribute('aria-invalid')).toBe('true');
    expect((await stored()).map((faq) => faq.question)).not.toContain('Do you sell gift cards?');

    await addForm.getByLabel('Answer').fill('Yes, from £10, in the shop and online.');
    await addForm.getByRole('button', { name: 'Add' }).click();
    await entry('Do you sell gift cards?').waitFor();
    expect(await entry('Do you sell gift cards?').innerText()).toContain('Added here');
    expect((await stored()).at(-1)).toMatchObject({
      question: 'Do you sell gift cards?',
      answer: 'Yes, from £10, in the shop and online.',
      source: 'console',
    });

    // Editing a file entry.
    await entry(HOURS).getByRole('button', { name: 'Edit' }).click();
    const editForm = page.getByTestId('faq-entry').getByTestId('faq-form');
    await editForm.getByLabel('Answer').fill('Every day from 8am to 8pm.');
    await editForm.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Every day from 8am to 8pm.').waitFor();
    expect(await entry(HOURS).innerText()).toContain('edited here');
    const hours = (await stored()).find((faq) => faq.question === HOURS);
    expect(hours).toMatchObject({ answer: 'Every day from 8am to 8pm.', source: 'console' });

    // Deleting.
    await entry('Do you sell gift cards?').getByRole('button', { name: 'Delete' }).click();
    await waitFor('the entry to be gone from the page and the store', async () =>
      (await entry('Do you sell gift cards?').count()) === 0 &&
      !(await stored()).some((faq) => faq.question === 'Do you sell gift cards?')
        ? true
        : null,
    );
    await page.close();
  }, 120_000); // a browser, a whole Parley and a loaded machine: a generous bound, not a speed check

  it('staff see the FAQ but no buttons to change it', async () => {
    const { password } = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff@faq-page.test',
      role: 'staff',
    });
    const page = await browser.newPage();
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('staff@faq-page.test');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-knowledge').click();
    await page.getByTestId('faq-entry').first().waitFor();
    expect(await page.getByTestId('faq-form').count()).toBe(0);
    expect(await page.getByTestId('faq-section').getByRole('button').count()).toBe(0);
    await page.close();
  }, 120_000);
});
