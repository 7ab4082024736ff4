import { z } from 'zod';
import { ParleyError } from '../core/errors.js';
import {
  HANDOFF_TRIGGERS,
  type HandoffPolicy,
  type HandoffTrigger,
  type TriggerSettings,
} from '../core/handoff.js';
import { describeValue } from './describe-value.js';
import { flag, requiredText, wholeNumber } from './field-schemas.js';
import { currencyMinorDigits, priceSchema, toMinorUnits } from './price.js';

/** The SMTP server handoff e-mails go through (file only: its password never reaches the API). */
export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export interface HandoffConfig {
  policy: HandoffPolicy;
  smtp: SmtpSettings | null;
}

/** The built-in topic lists: owners extend or replace them in the file or the console. */
export const DEFAULT_TOPICS: Record<string, string[]> = {
  refund: [
    'refund',
    'money back',
    'chargeback',
    'reembolso',
    'devolución',
    'Erstattung',
    'Rückerstattung',
    'remboursement',
    'rimborso',
    'terugbetaling',
  ],
  complaint: [
    'complaint',
    'complain',
    'queja',
    'reclamación',
    'Beschwerde',
    'plainte',
    'reclamo',
    'klacht',
  ],
  legal: [
    'lawyer',
    'solicitor',
    'attorney',
    'sue',
    'lawsuit',
    'court',
    'abogado',
    'demanda',
    'Anwalt',
    'Klage',
    'avocat',
    'avvocato',
    'advocaat',
  ],
  medical: [
    'injury',
    'injured',
    'hospital',
    'allergic',
    'allergy',
    'doctor',
    'lesión',
    'alergia',
    'Verletzung',
    'Allergie',
    'blessure',
    'allergie',
    'infortunio',
  ],
};

const ACTION_HINT =
  'Use handoff (a person takes over now), callback (collect details, a person calls back) or notify (only tell the owner).';
const action = z.enum(['handoff', 'callback', 'notify'], {
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `${describeValue(issue.input)} is not an action. ${ACTION_HINT}`,
});
const notifyChannel = z.enum(['console', 'email', 'whatsapp', 'zendesk'], {
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `${describeValue(issue.input)} is not a notification channel. Use console, email, whatsapp or zendesk.`,
});
const level = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `${describeValue(issue.input)} is not a level. Use a number from 0 to 1, such as 0.7.`,
  })
  .min(0, { error: 'must be from 0 to 1, such as 0.7' })
  .max(1, { error: 'must be from 0 to 1, such as 0.7' });
const email = z.email({
  error: (issue) => `${describeValue(issue.input)} is not an e-mail address.`,
});
const phone = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a phone number in international form. Write it like +447700900123.`,
  });

function trigger<Shape extends z.ZodRawShape>(
  extra: Shape,
  defaults: { enabled: boolean; action: TriggerSettings['action'] },
) {
  return z
    .strictObject({
      enabled: flag.default(defaults.enabled),
      action: action.default(defaults.action),
      notify: z.array(notifyChannel).default(['console']),
      ...extra,
    })
    .prefault(() => ({}) as never);
}

const triggersSchema = z
  .strictObject({
    personRequest: trigger(
      { phrases: z.array(requiredText).default([]) },
      { enabled: true, action: 'handoff' },
    ),
    frustration: trigger({ level: level.default(0.7) }, { enabled: true, action: 'handoff' }),
    cartValue: trigger(
      { above: priceSchema.default('500') },
      { enabled: false, action: 'handoff' },
    ),
    topics: trigger(
      { lists: z.record(requiredText, z.array(requiredText).min(1)).default(DEFAULT_TOPICS) },
      { enabled: true, action: 'handoff' },
    ),
    noProgress: trigger(
      { turns: wholeNumber(1, 50).default(3) },
      { enabled: true, action: 'handoff' },
    ),
    complexity: trigger({ threshold: level.default(0.8) }, { enabled: false, action: 'handoff' }),
    flaggedContact: trigger(
      { contacts: z.array(z.union([phone, email])).default([]) },
      { enabled: false, action: 'notify' },
    ),
    keywords: trigger(
      { words: z.array(requiredText).default([]) },
      { enabled: false, action: 'handoff' },
    ),
    outsideHours: trigger({}, { enabled: false, action: 'callback' }),
  })
  .prefault({});

const notificationsSchema = z
  .strictObject({
    email: z.array(email).default([]),
    whatsapp: phone.nullish(),
  })
  .prefault({});

const smtpSchema = z.strictObject({
  host: requiredText,
  port: wholeNumber(1, 65_535).default(587),
  secure: flag.default(false),
  user: requiredText.optional(),
  password: requiredText.optional(),
  from: email,
});

/** The `handoff:` section of the business file. */
export const handoffSection = z
  .strictObject({
    triggers: triggersSchema,
    notifications: notificationsSchema,
    smtp: smtpSchema.optional(),
  })
  .prefault({});

/** The policy as the console edits it: the file's shape without the SMTP server. */
export const handoffPolicySection = z
  .strictObject({ triggers: triggersSchema, notifications: notificationsSchema })
  .prefault({});

type HandoffSection = z.output<typeof handoffPolicySection> & {
  smtp?: z.output<typeof smtpSchema> | undefined;
};

/**
 * Maps the validated section onto the policy; amounts convert now, once the currency is known.
 * Problems are reported through `context` (under `path`) like every other field of the file.
 */
export function toHandoffConfig(
  section: HandoffSection,
  currency: string,
  context: z.RefinementCtx,
  path: Array<string | number> = ['handoff'],
): HandoffConfig {
  const { cartValue, ...triggers } = section.triggers;
  const minor = toMinorUnits(cartValue.above, currency);
  if (!minor.ok) {
    context.addIssue({
      code: 'custom',
      path: [...path, 'triggers', 'cartValue', 'above'],
      input: cartValue.above,
      message: minor.message,
    });
  }
  if (section.triggers.topics.enabled && Object.keys(section.triggers.topics.lists).length === 0) {
    context.addIssue({
      code: 'custom',
      path: [...path, 'triggers', 'topics', 'lists'],
      input: section.triggers.topics.lists,
      message:
        'The topic trigger is on but has no topics. Add a list such as refund: [refund, money back], or set enabled: false.',
    });
  }
  if (section.triggers.keywords.enabled && section.triggers.keywords.words.length === 0) {
    context.addIssue({
      code: 'custom',
      path: [...path, 'triggers', 'keywords', 'words'],
      input: section.triggers.keywords.words,
      message:
        'The keyword trigger is on but has no words, so it can never fire. Add words such as [wholesale], or set enabled: false.',
    });
  }
  const wantsEmail = Object.values(section.triggers).some(
    (entry) => entry.enabled && entry.notify.includes('email'),
  );
  if (wantsEmail && section.notifications.email.length === 0) {
    context.addIssue({
      code: 'custom',
      path: [...path, 'notifications', 'email'],
      input: section.notifications.email,
      message:
        'A trigger notifies by e-mail, but no address is set. Add notifications.email: [owner@example.com].',
    });
  }
  const wantsWhatsApp = Object.values(section.triggers).some(
    (entry) => entry.enabled && entry.notify.includes('whatsapp'),
  );
  if (wantsWhatsApp && !section.notifications.whatsapp) {
    context.addIssue({
      code: 'custom',
      path: [...path, 'notifications', 'whatsapp'],
      input: section.notifications.whatsapp,
      message:
        "A trigger notifies by WhatsApp, but no number is set. Add notifications.whatsapp: '+447700900123'.",
    });
  }
  return {
    policy: {
      triggers: {
        ...triggers,
        cartValue: {
          enabled: cartValue.enabled,
          action: cartValue.action,
          notify: cartValue.notify,
          aboveMinor: minor.ok ? minor.minor : 0,
        },
      },
      notifications: {
        emailTo: section.notifications.email,
        whatsappTo: section.notifications.whatsapp ?? null,
      },
    },
    smtp: section.smtp
      ? {
          host: section.smtp.host,
          port: section.smtp.port,
          secure: section.smtp.secure,
          user: section.smtp.user ?? null,
          password: section.smtp.password ?? null,
          from: section.smtp.from,
        }
      : null,
  };
}

/** The triggers that open a Zendesk ticket (enabled and listing `zendesk` in `notify`). */
export function triggersOpeningTickets(policy: HandoffPolicy): HandoffTrigger[] {
  return HANDOFF_TRIGGERS.filter((key) => {
    const entry = policy.triggers[key];
    return entry.enabled && entry.notify.includes('zendesk');
  });
}

/**
 * A trigger that notifies by `zendesk` needs the file's `zendesk:` section: reported under the
 * trigger's `notify` when the file has none.
 */
export function requireZendeskSection(
  policy: HandoffPolicy,
  context: z.RefinementCtx,
  path: Array<string | number> = ['handoff'],
): void {
  for (const key of triggersOpeningTickets(policy)) {
    context.addIssue({
      code: 'custom',
      path: [...path, 'triggers', key, 'notify'],
      input: policy.triggers[key].notify,
      message:
        'This trigger opens a Zendesk ticket, but the file has no zendesk: section. Add zendesk: (see docs/zendesk.md), or remove zendesk from notify.',
    });
  }
}

/** The policy of a business file without a `handoff:` section. */
export function defaultHandoffPolicy(currency: string): HandoffPolicy {
  return toHandoffConfig(handoffPolicySection.parse({}), currency, { addIssue() {} } as never)
    .policy;
}

/**
 * Validates a policy edited in the console (the file's shape, amounts in major units) and maps it,
 * or throws `validation_failed` with an issue per field.
 */
export function parseHandoffPolicyInput(input: unknown, currency: string): HandoffPolicy {
  const issues: Array<{ path: string; message: string }> = [];
  const parsed = handoffPolicySection.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ path: issue.path.join('.'), message: issue.message });
    }
  } else {
    const policy = toHandoffConfig(
      parsed.data,
      currency,
      {
        addIssue: (issue: { path?: PropertyKey[]; message?: string }) =>
          issues.push({
            path: (issue.path ?? []).map(String).join('.'),
            message: issue.message ?? 'is not valid',
          }),
      } as unknown as z.RefinementCtx,
      [],
    ).policy;
    if (issues.length === 0) return policy;
  }
  throw new ParleyError(
    'validation_failed',
    `The handoff policy is not valid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`,
    { issues },
  );
}

/** The policy in the shape the file and the console edit (amounts back in major units). */
export function toHandoffPolicyInput(policy: HandoffPolicy, currency: string): unknown {
  const { cartValue, ...triggers } = policy.triggers;
  const { aboveMinor, ...cartSettings } = cartValue;
  return {
    triggers: {
      ...triggers,
      cartValue: { ...cartSettings, above: aboveMinor / 10 ** currencyMinorDigits(currency) },
    },
    notifications: {
      email: policy.notifications.emailTo,
      whatsapp: policy.notifications.whatsappTo,
    },
  };
}
