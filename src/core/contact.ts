import type { ChannelKind } from './channel.js';

export interface Contact {
  id: string;
  businessId: string;
  displayName: string | null;
  phone: string | null;
  email: string | null;
  /** Marked by the team; the handoff policy's flagged-contact rule treats both as flagged. */
  vip: boolean;
  flagged: boolean;
  createdAt: Date;
}

/** How a contact is known on one channel: a web visitor id, a WhatsApp id, a PSID… */
export interface ContactIdentity {
  channel: ChannelKind;
  externalId: string;
}
