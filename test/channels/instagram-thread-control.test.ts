import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
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
/** With Facebook login, Instagram messages go through the linked Page and its access token. */
const LINKED_PAGE_TOKEN = 'linked-page-access-token';

describe.each(backends)('thread control on Instagram, through its linked Page (%s)', (backend) => {
  let meta: MetaParley;
  let api: Awaited<ReturnType<typeof consoleApi>>;
  let customers = 0;

  beforeAll(async () => {
    const config = demoConfigWithMeta(await loadBusinessConfig(DEMO_CONFIG_PATH, {}));
    meta = await startMetaParley({
      backend,
      overrides: {
        config: {
          ...config,
          channels: {
            ...config.channels,
            instagram: {
              ...config.channels.instagram!,
              accessToken: LINKED_PAGE_TOKEN,
              login: 'facebook',
              pageId: META.pageId,
              threadControl: { handBackTo: PAGE_INBOX_APP },
            },
          },
        },
      },
    });
    api = await consoleApi(meta.parley.baseUrl);
  });
  afterAll(() => meta?.stop());

  /** A new customer writes on Instagram; resolves with their conversation's id and IGSID. */
  async function customerWrites(): Promise<{ igsid: string; conversationId: string }> {
    customers += 1;
    const igsid = `1784145555500${String(customers).padStart(4, '0')}`;
    const response = await meta.post(
      'instagram',
      messagingWebhook('instagram', [
        customerEvent('instagram', igsid, {
          message: { mid: mid('ig'), text: 'Can someone from the shop message me?' },
        }),
      ]),
    );
    expect(response.status).toBe(200);
    const conversationId = await eventually(
      'the Instagram conversation',
      async () => (await meta.messagesOf('instagram', igsid))[0]?.conversationId,
    );
    return { igsid, conversationId };
  }

  const handovers = (igsid: string) =>
    meta.graph.requests
      .filter((request) => /_thread_control$/.test(request.path))
      .filter((request) => (request.body?.recipient as { id?: string } | undefined)?.id === igsid)
      .map((request) => ({ path: request.path, token: request.token, body: request.body }));

  it("takes the thread on the Page's endpoint when the owner takes over, and passes it on hand back", async () => {
    const { igsid, conversationId } = await customerWrites();
    expect((await api.post(`/api/conversations/${conversationId}/take-over`, {})).status).toBe(200);
    await eventually('take_thread_control', () =>
      Promise.resolve(handovers(igsid).length === 1 ? true : undefined),
    );
    expect(handovers(igsid)).toEqual([
      {
        path: `${META.pageId}/take_thread_control`,
        token: LINKED_PAGE_TOKEN,
        body: { recipient: { id: igsid }, metadata: 'parley:take-over' },
      },
    ]);

    expect((await api.post(`/api/conversations/${conversationId}/hand-back`, {})).status).toBe(200);
    await eventually('pass_thread_control', () =>
      Promise.resolve(handovers(igsid).length === 2 ? true : undefined),
    );
    expect(handovers(igsid)[1]).toEqual({
      path: `${META.pageId}/pass_thread_control`,
      token: LINKED_PAGE_TOKEN,
      body: {
        recipient: { id: igsid },
        target_app_id: PAGE_INBOX_APP,
        metadata: 'parley:hand-back',
      },
    });
    // Nothing went to the Messenger Page's customers or through Instagram's own host.
    expect(
      meta.graph.requests.filter(
        (request) => /_thread_control$/.test(request.path) && request.token === META.pageToken,
      ),
    ).toEqual([]);
  });

  it('alerts the owner on the Instagram channel when Meta refuses to pass the thread', async () => {
    const { igsid, conversationId } = await customerWrites();
    await api.post(`/api/conversations/${conversationId}/take-over`, {});
    await eventually('take_thread_control', () =>
      Promise.resolve(handovers(igsid).length === 1 ? true : undefined),
    );
    meta.graph.script(
      { kind: 'error', code: 100, message: '(#100) Invalid target_app_id' },
      { handover: true, match: (request) => request.path.endsWith('/pass_thread_control') },
    );
    const resolved = await api.post<{ conversation: { state: string } }>(
      `/api/conversations/${conversationId}/resolve`,
      {},
    );
    expect(resolved.status).toBe(200);
    const alert = await eventually('the alert', async () =>
      (await meta.parley.store.audit.list(meta.parley.business.id)).find(
        (entry) =>
          entry.action === 'channel.alert' &&
          entry.details.code === 'thread_control_failed' &&
          String(entry.details.message).includes(conversationId),
      ),
    );
    expect(alert).toMatchObject({ subjectType: 'channel', subjectId: 'instagram' });
    expect(String(alert.details.message)).toContain(
      `Meta refused to pass the thread to app ${PAGE_INBOX_APP} of conversation ${conversationId}`,
    );
  }, 60_000); // a whole Parley on a loaded machine: a bound, not a speed check
});
