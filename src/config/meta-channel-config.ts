import { z } from 'zod';
import type { InstagramAccount, MessengerAccount, WhatsAppAccount } from '../core/meta-accounts.js';
import { describeValue } from './describe-value.js';
import { requiredText, wholeNumber } from './field-schemas.js';

// The `channels.whatsapp`, `channels.messenger` and `channels.instagram` sections. Secrets are
// meant to be `${NAME}` references to environment variables, so the file can be shared.

/**
 * A Meta id (phone number id, Page id…): digits. YAML reads an unquoted id as a number, which is
 * exact only up to 2^53; longer ids must be quoted or they would silently change.
 */
function metaId(what: string, example: string) {
  const error = (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined || issue.input === null
      ? undefined
      : `${describeValue(issue.input)} is not a valid ${what}. Copy it from Meta's App Dashboard: digits only, in quotes, such as "${example}".`;
  return z
    .union([z.string(), z.number()], { error })
    .refine((value) => typeof value === 'string' || Number.isSafeInteger(value), {
      error: (issue) =>
        `${describeValue(issue.input)} is too long to be read as a number. Put the ${what} in quotes, such as "${example}".`,
    })
    .transform((value) => String(value).trim())
    .refine((value) => /^\d{1,30}$/.test(value), { error });
}

const secret = requiredText;

const template = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9_]{1,512}$/, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a template name. Use the approved template's name as Meta shows it: lower-case letters, digits and underscores.`,
    }),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a template language code. Use the code Meta shows for the template, such as en, en_GB or es_MX.`,
    }),
});

export const whatsappSection = z.strictObject({
  phoneNumberId: metaId('phone number id', '106540352242922'),
  wabaId: metaId('WhatsApp Business Account id', '102290129340398').optional(),
  accessToken: secret,
  appSecret: secret,
  verifyToken: secret,
  messagesPerSecond: wholeNumber(1, 1_000).default(80),
  templates: z
    .strictObject({ windowClosed: template.optional(), appointmentReminder: template.optional() })
    .prefault({}),
});

/** Conversation routing: the app that answers when no person in Parley holds the thread. */
const threadControl = z.strictObject({
  handBackTo: metaId('app id', '263902037430900'),
});

export const messengerSection = z.strictObject({
  pageId: metaId('Page id', '102290129340398'),
  pageAccessToken: secret,
  appSecret: secret,
  verifyToken: secret,
  threadControl: threadControl.optional(),
});

export const instagramSection = z
  .strictObject({
    accountId: metaId('Instagram account id', '17841400000000000'),
    accessToken: secret,
    appSecret: secret,
    verifyToken: secret,
    login: z
      .enum(['instagram', 'facebook'], {
        error: (issue) =>
          issue.input === undefined
            ? undefined
            : `${describeValue(issue.input)} is not a login kind. Use instagram (Instagram Login) or facebook (an account linked to a Page).`,
      })
      .default('instagram'),
    pageId: metaId('Page id', '102290129340398').optional(),
    threadControl: threadControl.optional(),
  })
  .superRefine((value, context) => {
    if (value.threadControl && value.login !== 'facebook') {
      context.addIssue({
        code: 'custom',
        path: ['threadControl'],
        input: value.threadControl,
        message:
          "needs login: facebook and the linked Page's pageId: thread control goes through the Page's handover endpoints. Remove threadControl, or connect the account through its Page.",
      });
    }
    if (value.login === 'facebook' && value.pageId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['pageId'],
        input: undefined,
        message:
          'is missing. An Instagram account linked to a Page sends through the Page: add the Page id, or set login: instagram.',
      });
    }
  });

export function toWhatsAppAccount(section: z.output<typeof whatsappSection>): WhatsAppAccount {
  const windowClosed = section.templates.windowClosed;
  const reminder = section.templates.appointmentReminder;
  return {
    phoneNumberId: section.phoneNumberId,
    wabaId: section.wabaId ?? null,
    accessToken: section.accessToken,
    appSecret: section.appSecret,
    verifyToken: section.verifyToken,
    messagesPerSecond: section.messagesPerSecond,
    windowClosedTemplate: windowClosed
      ? { name: windowClosed.name, language: windowClosed.language }
      : null,
    // Only when configured: a business without one reads as before.
    ...(reminder
      ? { appointmentReminderTemplate: { name: reminder.name, language: reminder.language } }
      : {}),
  };
}

export function toMessengerAccount(section: z.output<typeof messengerSection>): MessengerAccount {
  return { ...section, threadControl: section.threadControl ?? null };
}

export function toInstagramAccount(section: z.output<typeof instagramSection>): InstagramAccount {
  return {
    ...section,
    pageId: section.pageId ?? null,
    threadControl: section.threadControl ?? null,
  };
}
