import { describe, expect, it } from 'vitest';
import { parseBusinessConfig } from '../../src/config/load-business-config.js';
import { MINIMAL_YAML, configError } from '../config/config-errors.js';

const ENV = {
  ZENDESK_API_TOKEN: 'zd-token-abcdef',
  ZENDESK_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
};
const parse = (yaml: string, env: Record<string, string | undefined> = ENV) =>
  parseBusinessConfig(`${MINIMAL_YAML}${yaml}`, 'parley.yaml', env);

const section = (account: string) => `zendesk:
  ${account}
  email: parley@northside.example
  apiToken: \${ZENDESK_API_TOKEN}
  webhookSecret: \${ZENDESK_WEBHOOK_SECRET}
`;

describe('zendesk: in the business file', () => {
  it('is off when the section is left out', () => {
    expect(parse('').zendesk).toBeNull();
  });

  it('turns a subdomain into the Zendesk address and reads the secrets from the environment', () => {
    expect(parse(section('subdomain: Northside')).zendesk).toEqual({
      baseUrl: 'https://northside.zendesk.com',
      email: 'parley@northside.example',
      apiToken: 'zd-token-abcdef',
      webhookSecret: 'whsec-0123456789abcdef',
    });
    expect(parse(section('baseUrl: https://help.northside.example/')).zendesk?.baseUrl).toBe(
      'https://help.northside.example',
    );
  });

  it.each([
    ['', 'subdomain', 'Say which Zendesk account'],
    ['subdomain: northside\n  baseUrl: https://x.zendesk.com', 'subdomain', 'not both'],
    ['subdomain: https://northside.zendesk.com', 'subdomain', 'only the first part'],
    ['baseUrl: northside.zendesk.com', 'baseUrl', 'not an http(s) URL'],
  ])(
    'refuses the account %j with a message that says what to write',
    async (account, path, message) => {
      const { issues } = await configError(() => parse(section(account)));
      expect(issues).toEqual([expect.objectContaining({ path: `zendesk.${path}` })]);
      expect(issues[0]!.message).toContain(message);
    },
  );

  it('refuses a bad e-mail and a short webhook secret', async () => {
    const { issues } = await configError(() =>
      parse(section('subdomain: northside').replace('parley@northside.example', 'parley'), {
        ...ENV,
        ZENDESK_WEBHOOK_SECRET: 'short',
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'zendesk.email',
      'zendesk.webhookSecret',
    ]);
    expect(issues.find((issue) => issue.path === 'zendesk.webhookSecret')!.message).toContain(
      'too short',
    );
  });

  const ticketTrigger = `handoff:
  triggers:
    personRequest:
      notify: [console, zendesk]
`;

  it('lets a handoff trigger open a Zendesk ticket when the section is there', () => {
    const config = parse(`${ticketTrigger}${section('subdomain: northside')}`);
    expect(config.handoff?.policy.triggers.personRequest.notify).toEqual(['console', 'zendesk']);
    expect(config.handoff?.policy.triggers.topics.notify).toEqual(['console']);
  });

  it('refuses a trigger that opens a Zendesk ticket without the section, naming the trigger', async () => {
    const { issues } = await configError(() => parse(ticketTrigger));
    expect(issues).toEqual([
      expect.objectContaining({ path: 'handoff.triggers.personRequest.notify' }),
    ]);
    expect(issues[0]!.message).toContain('no zendesk: section');
  });

  it('names zendesk among the notification channels when one is misspelt', async () => {
    const { issues } = await configError(() => parse(ticketTrigger.replace('zendesk]', 'zendsk]')));
    expect(issues[0]!.message).toContain('console, email, whatsapp or zendesk');
  });

  it('names the unset environment variable of the API token', async () => {
    const { error } = await configError(() =>
      parse(section('subdomain: northside'), {
        ZENDESK_WEBHOOK_SECRET: ENV.ZENDESK_WEBHOOK_SECRET,
      }),
    );
    expect(error.message).toContain('ZENDESK_API_TOKEN');
  });
});
