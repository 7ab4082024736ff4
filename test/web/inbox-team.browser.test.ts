import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { receiveCustomerMessage } from '../../src/inbox/receive-customer-message.js';
import { createUser } from '../server/support/sign-in.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { launchChromium } from './support/chromium.js';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url));
const POLL = { timeout: 15_000 };

describe('the team inbox in a real browser: an owner and a staff member side by side', () => {
  let parley: TestParley;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let owner: Page;
  let staff: Page;
  let staffId: string;
  let ownerName: string;

  async function signedIn(email: string, password: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${parley.baseUrl}/`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('inbox-search').waitFor();
    return page;
  }

  async function customerWrites(text: string, displayName: string, senderId = randomUUID()) {
    const received = await receiveCustomerMessage(
      { store: parley.store, live: parley.live, clock: systemClock },
      {
        businessId: parley.business.id,
        channel: 'web',
        senderId,
        senderProfile: { displayName },
        parts: [{ type: 'text', text }],
        channelMessageId: randomUUID(),
      },
    );
    return { conversationId: received.conversation.id, senderId };
  }

  const texts = (page: Page, testId: string) => page.getByTestId(testId).allInnerTexts();
  const open = async (page: Page, conversationId: string) => {
    await page.locator(`[data-conversation-id="${conversationId}"]`).click();
    await page.getByTestId('thread-title').waitFor();
  };

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) {
      throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
    }
    parley = await startTestParley();
    const { user, password } = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'sam@northside.test',
      role: 'staff',
      name: 'Sam Rivera',
    });
    staffId = user.id;
    await parley.store.cannedReplies.create(parley.business.id, {
      shortcut: 'thanks',
      title: 'Thank the customer',
      body: 'Thanks {{contact.firstName | there}}, {{user.firstName}} here from {{business.name}}.',
    });
    const demoOwner = await parley.store.users.findByEmail('owner@demo.parley');
    ownerName = demoOwner!.name;
    browser = await launchChromium();
    owner = await signedIn('owner@demo.parley', 'demo-password-123');
    staff = await signedIn('sam@northside.test', password);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await parley?.stop();
  });

  it('a hand-off goes to the online staff member, who takes over; both see the reply, the note and the hand-back live', async () => {
    const { conversationId } = await customerWrites('I want to talk to a human', 'Priya Raman');
    // Sam is online (the console's live stream), so round-robin assigns the hand-off to Sam.
    await expect
      .poll(
        async () =>
          (await parley.store.conversations.getById(parley.business.id, conversationId))
            ?.assignedUserId,
        POLL,
      )
      .toBe(staffId);

    await expect
      .poll(() => texts(staff, 'view-mine'), POLL)
      .toEqual([expect.stringMatching(/Mine\s*1/)]);
    await staff.getByTestId('view-mine').click();
    const item = staff.locator(`[data-conversation-id="${conversationId}"]`);
    await expect.poll(() => item.getByTestId('waiting-timer').count(), POLL).toBe(1);
    expect(await item.getByTestId('waiting-timer').getAttribute('data-level')).toBe('on-time');

    await open(owner, conversationId);
    await open(staff, conversationId);
    await staff.getByTestId('take-over').click();
    await expect.poll(() => texts(staff, 'state-badge'), POLL).toContain('You');
    // The owner's view follows live: the take-over button is gone.
    await expect.poll(() => owner.getByTestId('take-over').count(), POLL).toBe(0);

    // Canned reply by "/" shortcut, filled in for this customer and this person.
    await staff.getByTestId('reply-input').fill('/tha');
    await expect
      .poll(() => texts(staff, 'canned-option'), POLL)
      .toEqual([expect.stringContaining('/thanks')]);
    await staff.getByTestId('reply-input').press('Enter');
    expect(await staff.getByTestId('reply-input').inputValue()).toBe(
      'Thanks Priya, Sam here from Northside Cycles.',
    );
    await staff.getByTestId('reply-input').press('Enter');
    await expect
      .poll(() => texts(owner, 'thread-message'), POLL)
      .toEqual(expect.arrayContaining([expect.stringContaining('Thanks Priya, Sam here')]));
    // The timer stops once a person answered.
    await expect
      .poll(() => staff.getByTestId('thread-inbox-bar').getByTestId('waiting-timer').count(), POLL)
      .toBe(0);

    // An internal note: shown to the team with its author, never to the customer.
    await owner.getByTestId('mode-note').click();
    await owner.getByTestId('reply-input').fill('VIP: offer free delivery');
    await owner.getByTestId('reply-send').click();
    await expect
      .poll(() => texts(staff, 'note-item'), POLL)
      .toEqual([expect.stringContaining('VIP: offer free delivery')]);
    expect(await texts(staff, 'note-author')).toEqual([ownerName]);
    const messages = await parley.store.messages.listForConversation(
      parley.business.id,
      conversationId,
    );
    expect(messages.map((message) => message.text).join('\n')).not.toContain('free delivery');

    // Sam hands back; the owner sees the agent holding it again.
    await staff.getByTestId('hand-back').click();
    await expect.poll(() => owner.getByTestId('take-over').count(), POLL).toBe(1);
  });

  it('assign to the other user, tag, filter by tag and search', async () => {
    const marker = randomUUID().slice(0, 6);
    const { conversationId } = await customerWrites(`My tyre ${marker} is flat`, 'Tom Baker');
    await customerWrites(`Helmet sizes ${marker}?`, 'Ana Lima');
    await expect
      .poll(() => owner.locator(`[data-conversation-id="${conversationId}"]`).count(), POLL)
      .toBe(1);
    await open(owner, conversationId);
    await owner.getByTestId('assign-select').selectOption(staffId);
    await expect
      .poll(
        () =>
          staff
            .locator(`[data-conversation-id="${conversationId}"]`)
            .getByTestId('item-assignee')
            .allInnerTexts(),
        POLL,
      )
      .toEqual(['You']);

    await owner.getByTestId('tag-input').fill(`Repair ${marker}`);
    await owner.getByTestId('tag-input').press('Enter');
    await expect
      .poll(() => texts(owner, 'thread-tag'), POLL)
      .toEqual([expect.stringContaining(`repair ${marker}`)]);
    // A bad tag is refused with a message that says what a tag may be.
    await owner.getByTestId('tag-input').fill('#!?');
    await owner.getByTestId('tag-input').press('Enter');
    await expect
      .poll(() => owner.getByRole('alert').allInnerTexts(), POLL)
      .toEqual(expect.arrayContaining([expect.stringContaining('cannot be a tag')]));

    await staff.getByTestId('view-all').click();
    await expect
      .poll(() => staff.getByTestId('filter-tag').locator('option').allInnerTexts(), POLL)
      .toContain(`repair ${marker}`);
    await staff.getByTestId('filter-tag').selectOption(`repair ${marker}`);
    await expect
      .poll(
        () =>
          staff
            .getByTestId('conversation-item')
            .evaluateAll((items) => items.map((item) => item.getAttribute('data-conversation-id'))),
        POLL,
      )
      .toEqual([conversationId]);
    await staff.getByTestId('filter-tag').selectOption('');

    await staff.getByTestId('inbox-search').fill(`helmet sizes ${marker}`);
    await expect
      .poll(() => texts(staff, 'conversation-item'), POLL)
      .toEqual([expect.stringContaining('Ana Lima')]);
    await staff.getByTestId('inbox-search').fill('Tom Bak');
    await expect
      .poll(() => texts(staff, 'conversation-item'), POLL)
      .toEqual([expect.stringContaining('Tom Baker')]);
  });

  it('the owner manages canned replies and the team on their own pages; staff do not see them', async () => {
    await owner.goto(`${parley.baseUrl}/canned-replies`);
    await owner.getByTestId('canned-shortcut').fill('Hours');
    await owner.getByTestId('canned-body').fill('Hi {{contact.nmae}}');
    await owner.getByTestId('canned-save').click();
    await expect
      .poll(() => owner.getByRole('alert').allInnerTexts(), POLL)
      .toEqual([expect.stringContaining('{{contact.nmae}}')]);
    await owner.getByTestId('canned-body').fill('We open at 9, {{contact.firstName | there}}.');
    await owner.getByTestId('canned-save').click();
    await expect
      .poll(() => texts(owner, 'canned-row'), POLL)
      .toEqual(expect.arrayContaining([expect.stringContaining('/hours')]));

    await owner.goto(`${parley.baseUrl}/team`);
    await expect
      .poll(
        () =>
          owner
            .getByTestId('team-member')
            .evaluateAll((rows) =>
              rows.map((row) => `${row.textContent ?? ''}|${row.getAttribute('data-online')}`),
            ),
        POLL,
      )
      .toEqual(expect.arrayContaining([expect.stringMatching(/Sam Rivera.*\|true$/)]));
    await owner.getByTestId('staff-name').fill('Noor Haddad');
    await owner.getByTestId('staff-email').fill('noor@northside.test');
    await owner.getByTestId('staff-password').fill('a-long-password-1');
    await owner.getByTestId('staff-add').click();
    await expect
      .poll(() => texts(owner, 'team-member'), POLL)
      .toEqual(expect.arrayContaining([expect.stringContaining('Noor Haddad')]));

    const nav = await staff.locator('header.app-header').innerText();
    expect(nav).not.toContain('Team');
    expect(nav).not.toContain('Replies');
  });
});
