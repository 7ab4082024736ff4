import type { VisitorIdentity } from './widget-api.js';

const keyFor = (businessId: string) => `parley:${businessId}`;

/** The visitor identity saved by an earlier visit, if storage is available and holds one. */
export function loadIdentity(businessId: string): VisitorIdentity | null {
  try {
    const raw = window.localStorage.getItem(keyFor(businessId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<VisitorIdentity>;
    return typeof parsed.visitorId === 'string' && typeof parsed.token === 'string'
      ? { visitorId: parsed.visitorId, token: parsed.token }
      : null;
  } catch {
    return null;
  }
}

/** Saves the identity so a reload continues the same conversation. */
export function saveIdentity(businessId: string, identity: VisitorIdentity): void {
  try {
    window.localStorage.setItem(keyFor(businessId), JSON.stringify(identity));
  } catch {
    // Storage blocked (private mode, sandboxed frame): the chat still works for this page view.
  }
}

export function forgetIdentity(businessId: string): void {
  try {
    window.localStorage.removeItem(keyFor(businessId));
  } catch {
    // Nothing stored, nothing to forget.
  }
}
