import { z } from 'zod';
import type { ZendeskSettings } from '../core/helpdesk.js';
import { describeValue } from './describe-value.js';
import { httpUrl } from './field-schemas.js';

// The business file's `zendesk:` section: a handoff opens a Zendesk ticket and comments sync both
// ways (docs/zendesk.md). Secrets are meant to be `${NAME}` references to environment variables.

const secret = (what: string, variable: string, minLength: number) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `Add the ${what}, from the environment: \${${variable}}.`
          : `Write the ${what} as text, best from the environment: \${${variable}}.`,
    })
    .trim()
    .min(minLength, {
      error: `The ${what} is too short (under ${minLength} characters). Copy the whole value from Zendesk, from the environment: \${${variable}}.`,
    });

export const zendeskSection = z
  .strictObject({
    subdomain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
        error: (issue) =>
          `${describeValue(issue.input)} is not a Zendesk subdomain. Write only the first part of the address, such as northside for https://northside.zendesk.com.`,
      })
      .optional(),
    baseUrl: httpUrl('https://northside.zendesk.com').optional(),
    email: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? 'Add the e-mail address of the Zendesk agent whose API token Parley uses.'
            : undefined,
      })
      .trim()
      .email({
        error: (issue) =>
          `${describeValue(issue.input)} is not an e-mail address. Use the Zendesk agent's sign-in address, such as support@northside.example.`,
      }),
    apiToken: secret(
      'Zendesk API token (Admin Center → Apps and integrations → Zendesk API)',
      'ZENDESK_API_TOKEN',
      8,
    ),
    webhookSecret: secret(
      'Zendesk webhook signing secret (Admin Center → Webhooks → your webhook → Reveal secret)',
      'ZENDESK_WEBHOOK_SECRET',
      16,
    ),
  })
  .superRefine((section, context) => {
    if ((section.subdomain === undefined) === (section.baseUrl === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['subdomain'],
        input: section.subdomain,
        message:
          section.subdomain === undefined
            ? 'Say which Zendesk account to use: subdomain: northside (for https://northside.zendesk.com), or baseUrl.'
            : 'Give either subdomain or baseUrl, not both.',
      });
    }
  });

export function toZendeskSettings(section: z.output<typeof zendeskSection>): ZendeskSettings {
  return {
    baseUrl: (section.baseUrl ?? `https://${section.subdomain}.zendesk.com`).replace(/\/+$/, ''),
    email: section.email,
    apiToken: section.apiToken,
    webhookSecret: section.webhookSecret,
  };
}
