import type { UserRole } from '../../core/user.js';

/** Who is calling an owner-side route: a signed-in user, or an API key of a business. */
export type Principal =
  | {
      kind: 'user';
      businessId: string;
      userId: string;
      role: UserRole;
      name: string;
      sessionTokenHash: string;
    }
  | { kind: 'api_key'; businessId: string; apiKeyId: string; role: 'owner' };
