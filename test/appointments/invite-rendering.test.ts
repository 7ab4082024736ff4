import { describe, expect, it } from 'vitest';
import { renderForMessaging } from '../../src/channels/meta/messaging-renderer.js';
import { renderForWhatsApp } from '../../src/channels/meta/whatsapp-renderer.js';
import type { MessagePart } from '../../src/core/message.js';
import { inviteAttachment } from '../../src/tools/appointments/appointment-invite.js';

const UID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b@northside.example';
const LINK = `https://chat.northside.example/api/invites/${encodeURIComponent(UID)}.ics`;

describe('a confirmation with its invite, as each channel receives it', () => {
  const parts: MessagePart[] = [
    { type: 'text', text: "You're booked: Basic tune-up. See you then!" },
    inviteAttachment('https://chat.northside.example/', { uid: UID, status: 'booked' }),
  ];

  it('links the invite with its name and a caption', () => {
    expect(parts[1]).toEqual({
      type: 'media',
      kind: 'document',
      mimeType: 'text/calendar',
      filename: 'appointment.ics',
      caption: 'Add it to your calendar',
      providerUrl: LINK,
    });
  });

  it('WhatsApp: the text, then a document message by link', () => {
    expect(renderForWhatsApp(parts)).toEqual([
      {
        type: 'text',
        text: { body: "You're booked: Basic tune-up. See you then!", preview_url: false },
      },
      {
        type: 'document',
        document: { link: LINK, filename: 'appointment.ics', caption: 'Add it to your calendar' },
      },
    ]);
  });

  it('Messenger: the caption, then the invite as a file attachment, before the quick replies', () => {
    const file = { attachment: { type: 'file', payload: { url: LINK, is_reusable: false } } };
    expect(renderForMessaging(parts, 'messenger')).toEqual([
      { text: "You're booked: Basic tune-up. See you then!" },
      { text: 'Add it to your calendar:' },
      file,
    ]);
    const withChoices = renderForMessaging(
      [...parts, { type: 'choices', choices: [{ id: 'more', title: 'Anything else?' }] }],
      'messenger',
    );
    expect(withChoices.at(-1)).toMatchObject({ quick_replies: [{ payload: 'more' }] });
    expect(withChoices.at(-2)).toEqual(file);
  });

  it('Instagram (no file attachments): the link as its own message, before the quick replies', () => {
    expect(renderForMessaging(parts, 'instagram')).toEqual([
      { text: "You're booked: Basic tune-up. See you then!" },
      { text: `Add it to your calendar: ${LINK}` },
    ]);
    const withChoices = renderForMessaging(
      [...parts, { type: 'choices', choices: [{ id: 'more', title: 'Anything else?' }] }],
      'instagram',
    );
    expect(withChoices.at(-1)).toMatchObject({ quick_replies: [{ payload: 'more' }] });
    expect(withChoices.at(-2)).toEqual({ text: `Add it to your calendar: ${LINK}` });
  });

  it('a cancellation names its file so', () => {
    expect(
      inviteAttachment('https://chat.northside.example', { uid: UID, status: 'cancelled' }),
    ).toMatchObject({ filename: 'cancelled-appointment.ics', providerUrl: LINK });
  });
});
