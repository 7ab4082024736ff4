import { hash, verify } from '@node-rs/argon2';
import { ParleyError } from '../../core/errors.js';

export const MIN_PASSWORD_LENGTH = 10;

/** argon2id with the library's defaults (OWASP's recommended memory and time costs). */
export function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ParleyError(
      'validation_failed',
      `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  }
  return hash(password);
}

// Verified when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong password.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$QQOQcUhpaD53z57cY8aPxw$W+JX7+WUjUzTM9Ci1ThH+BN/JZ6a7N5akGcNIr/fC7U';

export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  try {
    const matches = await verify(passwordHash ?? DUMMY_HASH, password);
    return passwordHash !== null && matches;
  } catch {
    return false;
  }
}
