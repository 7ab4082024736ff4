import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request, type ErrorResponse } from '../server/support/http-client.js';
import { createOtherBusiness, type OtherBusiness } from '../server/support/other-business.js';
import { createUser, DEMO_OWNER, signIn } from '../server/support/sign-in.js';

interface PolicyInput {
  triggers: Record<string, Record<string, unknown>>;
  notifications: { email: string[]; whatsapp: string | null };
}

interface PolicyResponse {
  policy: PolicyInput | null;
  source: 'file' | 'console';
  updatedAt: string | null;
}

describe.each(backends)('the handoff policy over HTTP (%s)', (backend) => {
  let parley: TestParley;
  let owner: string;
  let staff: string;
  let other: OtherBusiness;
  let otherOwner: string;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    owner = await signIn(parley.baseUrl, DEMO_OWNER);
    const member = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff@demo.parley',
      role: 'staff',
    });
    staff = await signIn(parley.baseUrl, { email: 'staff@demo.parley', password: member.password });
    other = await createOtherBusiness(parley.store);
    const otherUser = await createUser(parley.store, {
      businessId: other.business.id,
      email: 'owner@other.test',
      role: 'owner',
    });
    otherOwner = await signIn(parley.baseUrl, {
      email: 'owner@other.test',
      password: otherUser.password,
    });
  });
  afterAll(async () => {
    await parley?.stop();
  });

  const getPolicy = (cookie: string) =>
    request<PolicyResponse>(parley.baseUrl, '/api/handoff-policy', { cookie });
  const putPolicy = (cookie: string, body: unknown) =>
    request<PolicyResponse & ErrorResponse>(parley.baseUrl, '/api/handoff-policy', {
      method: 'PUT',
      cookie,
      body,
    });

  test("members read the business file's policy until the owner edits it", async () => {
    for (const cookie of [owner, staff]) {
      const response = await getPolicy(cookie);
      expect(response.status).toBe(200);
      expect(response.body.source).toBe('file');
      expect(response.body.updatedAt).toBeNull();
      expect(response.body.policy?.triggers.personRequest?.enabled).toBe(true);
    }
  });

  test('the owner replaces the policy; it is read back in the same shape, amounts in major units', async () => {
    const current = (await getPolicy(owner)).body.policy!;
    const edited: PolicyInput = {
      ...current,
      triggers: {
        ...current.triggers,
        cartValue: { ...current.triggers.cartValue, enabled: true, above: 250.5 },
        keywords: { ...current.triggers.keywords, enabled: true, words: ['wholesale'] },
      },
    };
    const saved = await putPolicy(owner, edited);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.source).toBe('console');

    const read = await getPolicy(staff);
    expect(read.body.source).toBe('console');
    expect(read.body.updatedAt).toBe(saved.body.updatedAt);
    expect(read.body.policy?.triggers.cartValue).toMatchObject({ enabled: true, above: 250.5 });
    expect(read.body.policy?.triggers.keywords).toMatchObject({ words: ['wholesale'] });
  });

  test('an invalid policy is a 400 naming each bad field, and the stored policy is unchanged', async () => {
    const before = (await getPolicy(owner)).body;
    const response = await putPolicy(owner, {
      triggers: {
        frustration: { level: 3 },
        noProgress: { action: 'escalate' },
        keywords: { enabled: true, words: [], colour: 'red' },
      },
      notifications: { email: ['not-an-address'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    const paths = (response.body.error.issues ?? []).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'triggers.frustration.level',
        'triggers.noProgress.action',
        'triggers.keywords',
        'notifications.email.0',
      ]),
    );
    const action = response.body.error.issues!.find(
      (issue) => issue.path === 'triggers.noProgress.action',
    );
    expect(action?.message).toContain('handoff');
    expect(response.body.error.message).toContain('triggers.frustration.level');

    const after = (await getPolicy(owner)).body;
    expect(after).toEqual(before);
  });

  test('a keyword trigger switched on without words is refused, naming the words field', async () => {
    const response = await putPolicy(owner, { triggers: { keywords: { enabled: true } } });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      expect.objectContaining({ path: 'triggers.keywords.words' }),
    ]);
  });

  test('cross-field rules are reported under the field to fix', async () => {
    const response = await putPolicy(owner, {
      triggers: { personRequest: { notify: ['console', 'whatsapp'] } },
      notifications: { whatsapp: null },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'notifications.whatsapp',
          message: expect.stringContaining('no number is set') as unknown,
        }),
      ]),
    );
  });

  test('a trigger can open a Zendesk ticket', async () => {
    const current = (await getPolicy(owner)).body.policy!;
    const response = await putPolicy(owner, {
      ...current,
      triggers: { ...current.triggers, topics: { notify: ['console', 'zendesk'] } },
    });
    expect(response.status).toBe(200);
    const after = (await getPolicy(owner)).body.policy!;
    expect(after.triggers.topics!.notify).toEqual(['console', 'zendesk']);
    expect(after.triggers.personRequest!.notify).toEqual(current.triggers.personRequest!.notify);
  });

  test('staff cannot change the policy', async () => {
    const current = (await getPolicy(staff)).body;
    const response = await putPolicy(staff, current.policy);
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('forbidden');
    expect((await getPolicy(owner)).body).toEqual(current);
  });

  test('without a session the policy is neither readable nor writable', async () => {
    expect((await request(parley.baseUrl, '/api/handoff-policy')).status).toBe(401);
    const put = await request(parley.baseUrl, '/api/handoff-policy', { method: 'PUT', body: {} });
    expect(put.status).toBe(401);
  });

  test("another business's owner sees and changes only their own policy", async () => {
    const ours = (await getPolicy(owner)).body;
    const theirs = await getPolicy(otherOwner);
    expect(theirs.status).toBe(200);
    expect(theirs.body.source).toBe('file');
    expect(theirs.body.policy?.triggers.keywords).not.toMatchObject({ words: ['wholesale'] });

    const changed = await putPolicy(otherOwner, {
      triggers: { keywords: { enabled: true, words: ['Mahnung'] } },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await getPolicy(owner)).body).toEqual(ours);
    expect((await getPolicy(otherOwner)).body.policy?.triggers.keywords).toMatchObject({
      words: ['Mahnung'],
    });
  });

  test("another business's conversation has no decisions to show", async () => {
    const response = await request<ErrorResponse>(
      parley.baseUrl,
      `/api/conversations/${other.conversation.id}/handoff-decisions`,
      { cookie: owner },
    );
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});
