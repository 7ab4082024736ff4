import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store.js';
import { backends } from '../support/test-database.js';
import { createBusiness, useContractDatabase } from './contract-fixtures.js';

const T0 = new Date('2026-03-02T09:00:00Z');
const minutes = (count: number) => new Date(T0.getTime() + count * 60_000);

describe.each(backends)(
  'users, sessions, login throttle and API keys contract on %s',
  (backend) => {
    const context = useContractDatabase(backend);

    async function createOwner(store: Store, businessId: string, email = uniqueEmail()) {
      return store.users.create({
        businessId,
        email,
        name: 'Owner',
        role: 'owner',
        passwordHash: '$argon2id$owner-hash',
      });
    }

    describe('users', () => {
      it('normalises the e-mail address and finds the user by any spelling of it', async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const local = `Owner.${randomUUID()}`;
        const user = await createOwner(store, business.id, `  ${local}@Example.COM `);
        expect(user.email).toBe(`${local.toLowerCase()}@example.com`);

        const found = await store.users.findByEmail(`${local.toUpperCase()}@EXAMPLE.com\t`);
        expect(found).toEqual({ ...user, passwordHash: '$argon2id$owner-hash' });
      });

      it('refuses a second user with the same e-mail address, in any business and spelling', async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const other = await createBusiness(store, 'other');
        const email = uniqueEmail();
        await createOwner(store, business.id, email);
        await expect(createOwner(store, business.id, email)).rejects.toMatchObject({
          code: 'conflict',
        });
        await expect(createOwner(store, other.id, ` ${email.toUpperCase()}`)).rejects.toMatchObject(
          {
            code: 'conflict',
          },
        );
        expect(await store.users.list(other.id)).toEqual([]);
      });

      it('returns the password hash from findByEmail only, never from getById or list', async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const user = await createOwner(store, business.id);
        const byId = await store.users.getById(business.id, user.id);
        expect(byId).toEqual(user);
        expect(byId).not.toHaveProperty('passwordHash');
        const listed = await store.users.list(business.id);
        expect(listed).toEqual([user]);
        expect(listed[0]).not.toHaveProperty('passwordHash');
        expect((await store.users.findByEmail(user.email))?.passwordHash).toBe(
          '$argon2id$owner-hash',
        );
        expect(await store.users.findByEmail('nobody@example.com')).toBeNull();
      });

      it('setPassword replaces the hash', async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const user = await createOwner(store, business.id);
        await store.users.setPassword(business.id, user.id, '$argon2id$new-hash');
        expect((await store.users.findByEmail(user.email))?.passwordHash).toBe(
          '$argon2id$new-hash',
        );
      });

      it("never reads or changes another business's users", async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const other = await createBusiness(store, 'other');
        const user = await createOwner(store, business.id);
        expect(await store.users.getById(other.id, user.id)).toBeNull();
        expect(await store.users.list(other.id)).toEqual([]);
        await store.users.setPassword(other.id, user.id, '$argon2id$attacker-hash');
        expect((await store.users.findByEmail(user.email))?.passwordHash).toBe(
          '$argon2id$owner-hash',
        );
      });
    });

    describe('sessions', () => {
      it('finds a live session by its token hash, not an expired one, and deletes it', async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const user = await createOwner(store, business.id);
        const tokenHash = `token-${randomUUID()}`;
        const session = await store.sessions.create({
          userId: user.id,
          businessId: business.id,
          tokenHash,
          expiresAt: minutes(60),
        });
        expect(session).toMatchObject({
          userId: user.id,
          businessId: business.id,
          expiresAt: minutes(60),
        });

        expect(await store.sessions.findByTokenHash(tokenHash, minutes(59))).toEqual(session);
        expect(await store.sessions.findByTokenHash(tokenHash, minutes(61))).toBeNull();
        expect(await store.sessions.findByTokenHash(`other-${tokenHash}`, T0)).toBeNull();

        await store.sessions.delete(tokenHash);
        expect(await store.sessions.findByTokenHash(tokenHash, T0)).toBeNull();
      });
    });

    describe('login throttle', () => {
      it('counts failures in the window, per key, until cleared', async () => {
        const { store } = context;
        const key = `login:${uniqueEmail()}`;
        const otherKey = `login:${uniqueEmail()}`;
        await store.loginThrottle.recordFailure(key, minutes(0));
        await store.loginThrottle.recordFailure(key, minutes(10));
        await store.loginThrottle.recordFailure(key, minutes(11));
        await store.loginThrottle.recordFailure(otherKey, minutes(11));

        expect(await store.loginThrottle.countFailures(key, minutes(-1))).toBe(3);
        expect(await store.loginThrottle.countFailures(key, minutes(5))).toBe(2);
        expect(await store.loginThrottle.countFailures(key, minutes(12))).toBe(0);

        await store.loginThrottle.clear(key);
        expect(await store.loginThrottle.countFailures(key, minutes(-1))).toBe(0);
        expect(await store.loginThrottle.countFailures(otherKey, minutes(-1))).toBe(1);
      });
    });

    describe('API keys', () => {
      it('finds active keys by hash, not revoked ones', async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const keyHash = `key-${randomUUID()}`;
        const key = await store.apiKeys.create({
          businessId: business.id,
          name: 'Zapier',
          prefix: 'pk_live_ab',
          keyHash,
        });
        expect(key).toMatchObject({
          businessId: business.id,
          name: 'Zapier',
          prefix: 'pk_live_ab',
          lastUsedAt: null,
          revokedAt: null,
        });
        expect(await store.apiKeys.findActiveByHash(keyHash)).toEqual(key);

        await store.apiKeys.touch(key.id, minutes(5));
        expect((await store.apiKeys.findActiveByHash(keyHash))?.lastUsedAt).toEqual(minutes(5));

        expect(await store.apiKeys.revoke(business.id, key.id, minutes(10))).toBe(true);
        expect(await store.apiKeys.findActiveByHash(keyHash)).toBeNull();
        // Revoking twice reports that nothing changed.
        expect(await store.apiKeys.revoke(business.id, key.id, minutes(11))).toBe(false);
        const [listed] = await store.apiKeys.list(business.id);
        expect(listed?.revokedAt).toEqual(minutes(10));
      });

      it("never lists or revokes another business's keys", async () => {
        const { store } = context;
        const business = await createBusiness(store);
        const other = await createBusiness(store, 'other');
        const keyHash = `key-${randomUUID()}`;
        const key = await store.apiKeys.create({
          businessId: business.id,
          name: 'Shop sync',
          prefix: 'pk_live_cd',
          keyHash,
        });
        expect(await store.apiKeys.list(other.id)).toEqual([]);
        expect(await store.apiKeys.revoke(other.id, key.id, minutes(1))).toBe(false);
        expect(await store.apiKeys.findActiveByHash(keyHash)).toEqual(key);
        expect(await store.apiKeys.list(business.id)).toEqual([key]);
      });
    });
  },
);

function uniqueEmail(): string {
  return `user-${randomUUID()}@example.com`;
}
