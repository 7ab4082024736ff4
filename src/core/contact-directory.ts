import type { ChannelKind } from './channel.js';
import type { Contact, ContactIdentity } from './contact.js';
import type { ConversationState } from './conversation.js';

/** A contact with every way it is known (phone, BSUID, PSID, IGSID, web visitor…). */
export interface ContactWithIdentities extends Contact {
  identities: ContactIdentity[];
}

/** What the contact panel shows beside a thread. */
export interface ContactProfile {
  contact: ContactWithIdentities;
  conversations: Array<{
    id: string;
    channel: ChannelKind;
    state: ConversationState;
    lastMessageAt: Date;
    lastMessagePreview: string;
  }>;
  orders: Array<{
    id: string;
    number: number;
    status: string;
    currency: string;
    totalMinor: number;
    createdAt: Date;
  }>;
  appointments: Array<{
    id: string;
    serviceName: string;
    staffName: string;
    startsAt: Date;
    status: string;
  }>;
  /** The contact's lead record (one per contact), when the agent or the team qualified one. */
  lead: {
    id: string;
    stage: string;
    score: number;
    answers: Record<string, string | number | boolean>;
    updatedAt: Date;
  } | null;
}

export interface ContactChanges {
  displayName?: string | null | undefined;
  vip?: boolean | undefined;
  flagged?: boolean | undefined;
}

/** How many rows of each kind moved from the merged contact to the one kept. */
export type ContactMergeCounts = Record<
  | 'identities'
  | 'conversations'
  | 'orders'
  | 'cartLines'
  | 'appointments'
  | 'pendingActions'
  | 'leads'
  | 'customerWindows'
  | 'modelCalls',
  number
>;

/** The team's view of contacts: find, show, correct, and merge two that are one person. */
export interface ContactDirectory {
  /** Contacts whose name, phone, e-mail or any channel id contains `query`, most recent first. */
  search(businessId: string, query: string, limit: number): Promise<ContactWithIdentities[]>;
  profile(businessId: string, contactId: string): Promise<ContactProfile | null>;
  update(businessId: string, contactId: string, changes: ContactChanges): Promise<Contact | null>;
  /** Both contacts, locked until the transaction ends (use inside `transaction`). */
  lockForMerge(businessId: string, contactIds: readonly string[]): Promise<Contact[]>;
  /** Channels on which both contacts have an open (not resolved) conversation. */
  openConversationClashes(
    businessId: string,
    keepId: string,
    mergeId: string,
  ): Promise<ChannelKind[]>;
  /**
   * Moves every row of `mergeId` (identities, conversations, carts, orders, appointments, pending
   * actions, leads, service windows, model-call links) to `keepId`, fills the kept contact's empty
   * fields from the merged one, and deletes `mergeId`. Call inside a transaction.
   */
  moveInto(businessId: string, keepId: string, mergeId: string): Promise<ContactMergeCounts>;
}
