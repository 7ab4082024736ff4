import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../core/store.js';
import { hashPassword } from './auth/passwords.js';
import { randomToken } from './auth/tokens.js';

export const DEMO_OWNER_EMAIL = 'owner@demo.parley';
const PASSWORD_FILE = 'demo-owner-password';

/**
 * The demo business's owner account, created on first start. Its generated password is kept in the
 * data folder (readable by this user only) so every start can print the login again.
 */
export async function ensureDemoOwner(
  store: Store,
  input: { businessId: string; dataDir: string; password: string | null },
): Promise<{ email: string; password: string | null }> {
  const existing = await store.users.findByEmail(DEMO_OWNER_EMAIL);
  const passwordFile = join(input.dataDir, PASSWORD_FILE);
  if (existing) {
    if (input.password) {
      await store.users.setPassword(
        existing.businessId,
        existing.id,
        await hashPassword(input.password),
      );
      return { email: DEMO_OWNER_EMAIL, password: input.password };
    }
    const remembered = await readFile(passwordFile, 'utf8').catch(() => null);
    return { email: DEMO_OWNER_EMAIL, password: remembered?.trim() || null };
  }
  const password = input.password ?? randomToken(9);
  await store.users.create({
    businessId: input.businessId,
    email: DEMO_OWNER_EMAIL,
    name: 'Demo Owner',
    role: 'owner',
    passwordHash: await hashPassword(password),
  });
  if (!input.password) {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    await chmod(passwordFile, 0o600);
  }
  return { email: DEMO_OWNER_EMAIL, password };
}
