import type { BusinessConfig } from '../../../src/config/business-config.js';

// No vitest imports here: the crash test's child process loads this module too.

/** The demo business's Meta accounts in these tests (ids in Meta's formats, secrets made up). */
export const META = {
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  whatsappToken: 'wa-system-user-token',
  appSecret: 'test-app-secret-0123456789abcdef',
  verifyToken: 'parley-verify-token',
  pageId: '200000000000001',
  pageToken: 'page-access-token',
  instagramAccountId: '17841400000000001',
  instagramToken: 'instagram-user-token',
} as const;

export function demoConfigWithMeta(
  base: BusinessConfig,
  options: { windowClosedTemplate?: boolean } = {},
): BusinessConfig {
  return {
    ...base,
    channels: {
      ...base.channels,
      whatsapp: {
        phoneNumberId: META.phoneNumberId,
        wabaId: META.wabaId,
        accessToken: META.whatsappToken,
        appSecret: META.appSecret,
        verifyToken: META.verifyToken,
        messagesPerSecond: 80,
        windowClosedTemplate: options.windowClosedTemplate
          ? { name: 'follow_up_reply', language: 'en_GB' }
          : null,
      },
      messenger: {
        pageId: META.pageId,
        pageAccessToken: META.pageToken,
        appSecret: META.appSecret,
        verifyToken: META.verifyToken,
      },
      instagram: {
        accountId: META.instagramAccountId,
        accessToken: META.instagramToken,
        appSecret: META.appSecret,
        verifyToken: META.verifyToken,
        login: 'instagram',
        pageId: null,
      },
    },
  };
}
