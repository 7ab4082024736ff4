import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { parseBusinessConfig } from '../../src/config/load-business-config.js';
import { isParleyError } from '../../src/core/errors.js';
import { backends } from '../support/test-database.js';
import { customerEvent, messagingWebhook, mid } from './fixtures/messaging-webhooks.js';
import { consoleApi } from './support/console-api.js';
import { eventually } from '../support/eventually.js';
import {
  META,
  demoConfigWithMeta,
  startMetaParley,
  type MetaParley,
} from './support/meta-parley.js';

const PAGE_INBOX_APP = '263902037430900';

describe.each(backends)('thread control on Messenger (conversation routing) (%s)', (backend) => {
  let meta: MetaParley;
  let api: Awaited<ReturnType<typeof consoleApi>>;
  let customer = 6783459000100;

  beforeAll(async () => {
    const config = demoConfigWithMeta(await loadBusinessConfig(DEMO_CONFIG_PATH, {}));
    meta = await startMetaParley({
      backend,
      overrides: {
        config: {
          ...config,
          channels: {
            ...config.channels,
            messenger: {
              ...config.channels.messenger!,
              threadControl: { handBackTo: PAGE_INBOX_APP },
            },
          },
        },
      },
    });
    api = await consoleApi(meta.parley.baseUrl);
  });
  afterAll(() => meta.stop());

  /** A new customer writes on Messenger; resolves with their conversation's id and PSID. */
  async function customerWrites(): Promise<{ psid: string; conversationId: string }> {
    customer += 1;
    const psid = String(customer);
    await meta.post(
      'messenger',
      messagingWebhook('messenger', [
        customerEvent('messenger', psid, { message: { mid: mid(), text: 'Can I speak to Sam?' } }),
      ]),
    );
    const conversationId = await eventually(
      'the conversation',
      async () => (await meta.messagesOf('messenger', psid))[0]?.conversationId,
    );
    return { psid, conversationId };
  }

  const handovers = (psid: string) =>
    meta.graph.requests
      .filter((request) => /_thread_control$/.test(request.path))
      .filter((request) => (request.body?.recipient as { id?: string } | undefined)?.id === psid)
      .map((request) => ({ path: request.path, token: request.token, body: request.body }));

  it('takes the thread when the owner takes over in the console, and passes it to the configured app on hand back', async () => {
    const { psid, conversationId } = await customerWrites();
    const taken = await api.post(`/api/conversations/${conversationId}/take-over`, {});
    expect(taken.status).toBe(200);
    await eventually('take_thread_control', () =>
      Promise.resolve(handovers(psid).length === 1 ? true : undefined),
    );
    expect(handovers(psid)).toEqual([
      {
        path: `${META.pageId}/take_thread_control`,
        token: META.pageToken,
        body: { recipient: { id: psid }, metadata: 'parley:take-over' },
      },
    ]);

    expect((await api.post(`/api/conversations/${conversationId}/hand-back`, {})).status).toBe(200);
    await eventually('pass_thread_control', () =>
      Promise.resolve(handovers(psid).length === 2 ? true : undefined),
    );
    expect(handovers(psid)[1]).toEqual({
      path: `${META.pageId}/pass_thread_control`,
      token: META.pageToken,
      body: {
        recipient: { id: psid },
        target_app_id: PAGE_INBOX_APP,
        metadata: 'parley:hand-back',
      },
    });
  });

  it('passes the thread on when a conversation a person held is resolved, not when the agent held it', async () => {
    const first = await customerWrites();
    await api.post(`/api/conversations/${first.conversationId}/resolve`, {});
    const second = await customerWrites();
    await api.post(`/api/conversations/${second.conversationId}/take-over`, {});
    await api.post(`/api/conversations/${second.conversationId}/resolve`, {});
    await eventually('the resolved thread to be passed', () =>
      Promise.resolve(handovers(second.psid).length === 2 ? true : undefined),
    );
    expect(handovers(second.psid).map((call) => call.body?.metadata)).toEqual([
      'parley:take-over',
      'parley:resolve',
    ]);
    // Changes are applied in order, one at a time: the first customer's resolve came earlier.
    expect(handovers(first.psid)).toEqual([]);
  });

  it('alerts the owner when Meta refuses to hand Parley the thread (the take-over itself stands)', async () => {
    meta.graph.script(
      {
        kind: 'error',
        code: 10,
        message: '(#10) This app is not the primary receiver and cannot take thread control',
      },
      { handover: true, match: (request) => request.path.endsWith('/take_thread_control') },
    );
    const { conversationId } = await customerWrites();
    const taken = await api.post<{ conversation: { state: string } }>(
      `/api/conversations/${conversationId}/take-over`,
      {},
    );
    expect(taken.body.conversation.state).toBe('person');
    const alert = await eventually('the alert', async () =>
      (await meta.parley.store.audit.list(meta.parley.business.id)).find(
        (entry) =>
          entry.action === 'channel.alert' && entry.details.code === 'thread_control_failed',
      ),
    );
    expect(String(alert.details.message)).toContain(
      `(10 (#10) This app is not the primary receiver and cannot take thread control). A person's replies may not be delivered`,
    );
  });
});

describe('threadControl in the business file', () => {
  const BASE = `business:
  slug: corner-bakery
  name: Corner Bakery
  timezone: Europe/Paris
  currency: EUR
channels:
`;
  const problems = (yaml: string) => {
    try {
      parseBusinessConfig(`${BASE}${yaml}`, 'bakery.yaml', {});
    } catch (error) {
      if (!isParleyError(error, 'config_invalid')) throw error;
      return error.issues.map((issue) => [issue.path, issue.message]);
    }
    return [];
  };

  it('reads the app to hand back to, and refuses it for an Instagram account without its Page', () => {
    const config = parseBusinessConfig(
      `${BASE}  messenger:
    pageId: "102290129340398"
    pageAccessToken: page-token
    appSecret: secret
    verifyToken: verify
    threadControl: { handBackTo: "${PAGE_INBOX_APP}" }
`,
      'bakery.yaml',
      {},
    );
    expect(config.channels.messenger?.threadControl).toEqual({ handBackTo: PAGE_INBOX_APP });
    expect(
      problems(`  instagram:
    accountId: "17841400000000000"
    accessToken: ig-token
    appSecret: secret
    verifyToken: verify
    threadControl: { handBackTo: "${PAGE_INBOX_APP}" }
`),
    ).toEqual([
      [
        'channels.instagram.threadControl',
        "needs login: facebook and the linked Page's pageId: thread control goes through the Page's handover endpoints. Remove threadControl, or connect the account through its Page.",
      ],
    ]);
    expect(
      problems(`  messenger:
    pageId: "102290129340398"
    pageAccessToken: page-token
    appSecret: secret
    verifyToken: verify
    threadControl: { handBackTo: inbox }
`),
    ).toEqual([
      [
        'channels.messenger.threadControl.handBackTo',
        '"inbox" is not a valid app id. Copy it from Meta\'s App Dashboard: digits only, in quotes, such as "263902037430900".',
      ],
    ]);
  });
});
