import { describe, expect, it } from 'vitest';
import { parseBusinessConfig } from '../../src/config/load-business-config.js';
import { isParleyError } from '../../src/core/errors.js';

const BASE = `business:
  slug: corner-bakery
  name: Corner Bakery
  timezone: Europe/Paris
  currency: EUR
`;

function parse(yaml: string, env: Record<string, string> = {}) {
  return parseBusinessConfig(`${BASE}${yaml}`, 'bakery.yaml', env);
}

function problems(yaml: string, env: Record<string, string> = {}): Array<[string, string]> {
  try {
    parse(yaml, env);
  } catch (error) {
    if (!isParleyError(error, 'config_invalid')) throw error;
    return error.issues.map((issue) => [issue.path, issue.message]);
  }
  throw new Error('expected config_invalid');
}

const ENV = {
  WHATSAPP_TOKEN: 'EAAG-system-user-token',
  META_APP_SECRET: 'app-secret',
  META_VERIFY_TOKEN: 'verify-me',
  PAGE_TOKEN: 'page-token',
  IG_TOKEN: 'ig-token',
};

describe('channels.whatsapp, channels.messenger, channels.instagram', () => {
  it('reads all three with secrets from the environment; absent channels stay absent', () => {
    const config = parse(
      `channels:
  whatsapp:
    phoneNumberId: "106540352242922"
    wabaId: 102290129340398
    accessToken: \${WHATSAPP_TOKEN}
    appSecret: \${META_APP_SECRET}
    verifyToken: \${META_VERIFY_TOKEN}
    messagesPerSecond: 20
    templates:
      windowClosed: { name: follow_up_reply, language: en_GB }
  messenger:
    pageId: "200000000000001"
    pageAccessToken: \${PAGE_TOKEN}
    appSecret: \${META_APP_SECRET}
    verifyToken: \${META_VERIFY_TOKEN}
  instagram:
    accountId: "17841400000000001"
    accessToken: \${IG_TOKEN}
    appSecret: \${META_APP_SECRET}
    verifyToken: \${META_VERIFY_TOKEN}
`,
      ENV,
    );
    expect(config.channels.whatsapp).toEqual({
      phoneNumberId: '106540352242922',
      wabaId: '102290129340398',
      accessToken: 'EAAG-system-user-token',
      appSecret: 'app-secret',
      verifyToken: 'verify-me',
      messagesPerSecond: 20,
      windowClosedTemplate: { name: 'follow_up_reply', language: 'en_GB' },
    });
    expect(config.channels.messenger).toEqual({
      pageId: '200000000000001',
      pageAccessToken: 'page-token',
      appSecret: 'app-secret',
      verifyToken: 'verify-me',
      threadControl: null,
    });
    expect(config.channels.instagram).toEqual({
      accountId: '17841400000000001',
      accessToken: 'ig-token',
      appSecret: 'app-secret',
      verifyToken: 'verify-me',
      login: 'instagram',
      pageId: null,
      threadControl: null,
    });
    const none = parse('');
    expect(Object.keys(none.channels)).toEqual(['web']);
  });

  it('defaults WhatsApp to 80 messages per second and no template', () => {
    const config = parse(
      `channels:
  whatsapp:
    phoneNumberId: "1"
    accessToken: t
    appSecret: s
    verifyToken: v
`,
    );
    expect(config.channels.whatsapp).toMatchObject({
      messagesPerSecond: 80,
      windowClosedTemplate: null,
      wabaId: null,
    });
  });

  it("says what is wrong, in the file's words: ids, secrets, templates, login kinds", () => {
    expect(
      problems(`channels:
  whatsapp:
    phoneNumberId: 12345678901234567890
    accessToken: \${WHATSAPP_TOKEN}
    appSecret: ""
    verifyToken: v
    messagesPerSecond: 5000
    templates:
      windowClosed: { name: Follow Up, language: english }
  instagram:
    accountId: ig-account
    accessToken: t
    appSecret: s
    verifyToken: v
    login: facebook
`),
    ).toEqual([
      [
        'channels.whatsapp.phoneNumberId',
        '12345678901234567000 is too long to be read as a number. Put the phone number id in quotes, such as "106540352242922".',
      ],
      [
        'channels.whatsapp.accessToken',
        'refers to ${WHATSAPP_TOKEN}, which is not set. Set WHATSAPP_TOKEN in the environment, or write the value in its place.',
      ],
      ['channels.whatsapp.appSecret', 'is empty. Fill it in, or remove the key if it is optional.'],
      [
        'channels.whatsapp.messagesPerSecond',
        '5000 is not allowed here. Use a whole number from 1 to 1000.',
      ],
      [
        'channels.whatsapp.templates.windowClosed.name',
        '"Follow Up" is not a template name. Use the approved template\'s name as Meta shows it: lower-case letters, digits and underscores.',
      ],
      [
        'channels.whatsapp.templates.windowClosed.language',
        '"english" is not a template language code. Use the code Meta shows for the template, such as en, en_GB or es_MX.',
      ],
      [
        'channels.instagram.pageId',
        'is missing. An Instagram account linked to a Page sends through the Page: add the Page id, or set login: instagram.',
      ],
      [
        'channels.instagram.accountId',
        '"ig-account" is not a valid Instagram account id. Copy it from Meta\'s App Dashboard: digits only, in quotes, such as "17841400000000000".',
      ],
    ]);
  });
});
