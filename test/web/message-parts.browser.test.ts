import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contactEntry,
  inbound,
  statusEntry,
  whatsappWebhook,
} from '../channels/fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import { startMetaParley, type MetaParley } from '../channels/support/meta-parley.js';
import { launchChromium } from './support/chromium.js';

const CONSOLE_BUILD = fileURLToPath(new URL('../../dist/web/console/index.html', import.meta.url));
// A real 1×1 PNG, so the browser must decode what /api/media serves.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const VOICE = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0]);
const CUSTOMER = { waId: '447700955501', userId: 'US.447700955501000', name: 'Vera Voice' };

describe('message parts in the console thread, in a real browser', () => {
  let meta: MetaParley;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CONSOLE_BUILD)) {
      throw new Error('The console is not built: run `npm run build:web` first (npm test does).');
    }
    meta = await startMetaParley();
    meta.graph.addMedia('photo-55501', { bytes: PHOTO, mimeType: 'image/png' });
    meta.graph.addMedia('voice-55501', { bytes: VOICE, mimeType: 'audio/ogg' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await meta?.stop();
  });

  it('shows a photo inline, a voice note with a player, a location link, an unsupported type, and a failed reply with its error code', async () => {
    const from = { from: CUSTOMER.waId, from_user_id: CUSTOMER.userId };
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry(CUSTOMER)],
        messages: [
          inbound(
            'image',
            { image: { id: 'photo-55501', mime_type: 'image/png', caption: 'My bike' } },
            from,
          ),
          inbound(
            'audio',
            { audio: { id: 'voice-55501', mime_type: 'audio/ogg; codecs=opus', voice: true } },
            from,
          ),
          inbound(
            'location',
            { location: { latitude: 53.4808, longitude: -2.2426, name: 'Mill Lane' } },
            from,
          ),
          inbound(
            'unsupported',
            {
              unsupported: { type: 'poll' },
              errors: [{ code: 131051, title: 'Message type unknown' }],
            },
            from,
          ),
        ],
      }),
    );
    await meta.drained();
    // The menu's answer went out; the phone then reports it failed (undeliverable).
    const reply = await eventually('the reply to leave', async () =>
      (await meta.messagesOf('whatsapp', CUSTOMER.userId)).find(
        (message) => message.author === 'agent' && message.status === 'sent',
      ),
    );
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        statuses: [
          statusEntry(reply.channelMessageId ?? 'wamid.unknown', 'failed', {
            parleyMessageId: reply.id,
            recipient: CUSTOMER.waId,
            errors: [
              {
                code: 131026,
                title: 'Message undeliverable',
                message: 'Message undeliverable',
                error_data: { details: 'The recipient is not on WhatsApp.' },
              },
            ],
          }),
        ],
      }),
    );
    await meta.drained();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${meta.parley.baseUrl}/`);
    await page.getByTestId('login-email').fill('owner@demo.parley');
    await page.getByTestId('login-password').fill('demo-password-123');
    await page.getByTestId('login-submit').click();
    const item = page.getByTestId('conversation-item').filter({ hasText: CUSTOMER.name });
    await item.waitFor({ timeout: 15_000 });
    await item.click();

    // The photo, decoded by the browser from /api/media with the owner's session.
    const photo = page.locator('[data-testid="part-media"][data-kind="image"] img');
    await photo.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => photo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth))
      .toBe(1);
    expect(await photo.getAttribute('alt')).toBe('My bike');
    expect(await photo.getAttribute('src')).toMatch(
      new RegExp(`^/api/media/${meta.parley.business.id}/[0-9a-f-]{36}\\.png$`),
    );

    // The voice note: a player whose source is the stored bytes.
    const voice = page.locator('[data-testid="part-media"][data-kind="voice"] audio');
    expect(await voice.getAttribute('controls')).not.toBeNull();
    const served = await voice.evaluate(async (audio: HTMLAudioElement) => {
      const response = await fetch(audio.src);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        bytes: Array.from(new Uint8Array(await response.arrayBuffer())),
      };
    });
    expect(served).toEqual({ status: 200, type: 'audio/ogg', bytes: Array.from(VOICE) });

    const location = page.getByTestId('part-location').getByRole('link');
    expect(await location.innerText()).toBe('Mill Lane');
    expect(await location.getAttribute('href')).toContain('mlat=53.4808&mlon=-2.2426');
    expect(await page.getByTestId('part-unsupported').innerText()).toContain(
      'A poll message, which Parley cannot show',
    );

    const failed = page.getByTestId('message-failed');
    await failed.waitFor({ timeout: 10_000 });
    expect(await failed.innerText()).toBe(
      'Not delivered: 131026 Message undeliverable: The recipient is not on WhatsApp.',
    );
    await page.close();
  }, 120_000); // a browser, a whole Parley and a loaded machine: a generous bound, not a speed check
});
