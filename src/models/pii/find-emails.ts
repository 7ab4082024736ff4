import type { PiiFinding } from './pii-types.js';

const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
const DOMAIN = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;

/**
 * E-mail addresses (Unicode local parts and domains included). Scans from each `@` outwards: a
 * regex with a leading `[…]+` would retry at every character of a 1 KB message.
 */
export function findEmails(text: string, out: PiiFinding[]): void {
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    const domain = start < at ? DOMAIN.exec(text.slice(at + 1, at + 256)) : null;
    if (domain) {
      const end = at + 1 + domain[0].length;
      out.push({ type: 'email', start, end, recogniser: 'email' });
      at = text.indexOf('@', end);
    } else {
      at = text.indexOf('@', at + 1);
    }
  }
}
