/** What happens when a handoff trigger fires. */
export type HandoffAction = 'handoff' | 'callback' | 'notify';

/**
 * Where the owner hears about a fired trigger; `zendesk` opens a ticket in the business's Zendesk
 * (when its file has a `zendesk:` section).
 */
export type NotifyChannel = 'console' | 'email' | 'whatsapp' | 'zendesk';

export const HANDOFF_TRIGGERS = [
  'personRequest',
  'frustration',
  'cartValue',
  'topics',
  'noProgress',
  'complexity',
  'flaggedContact',
  'keywords',
  'outsideHours',
] as const;
export type HandoffTrigger = (typeof HANDOFF_TRIGGERS)[number];

export interface TriggerSettings {
  enabled: boolean;
  action: HandoffAction;
  notify: NotifyChannel[];
}

/**
 * The owner's declarative handoff policy: which triggers are on, what each does, and who hears
 * about it. Deterministic triggers are evaluated in code, so the model cannot talk its way past.
 */
export interface HandoffPolicy {
  triggers: {
    /** The customer asks for a person; `phrases` add to the built-in multilingual recogniser. */
    personRequest: TriggerSettings & { phrases: string[] };
    /** Negative sentiment at or above `level` (0–1, lexicon score of the customer's messages). */
    frustration: TriggerSettings & { level: number };
    /** The contact's cart at or above `aboveMinor` (minor units of the business currency). */
    cartValue: TriggerSettings & { aboveMinor: number };
    /** Topic name → keywords, e.g. `refund: [refund, money back, Erstattung]`. */
    topics: TriggerSettings & { lists: Record<string, string[]> };
    /** The customer repeats themselves, or the agent cannot help, for `turns` turns in a row. */
    noProgress: TriggerSettings & { turns: number };
    /** The model's own rating of its reply (0–1) at or above `threshold`. */
    complexity: TriggerSettings & { threshold: number };
    /** Contacts (phone numbers or e-mail addresses) the owner flagged, e.g. VIPs. */
    flaggedContact: TriggerSettings & { contacts: string[] };
    keywords: TriggerSettings & { words: string[] };
    /** A message arrives outside the business's opening hours. */
    outsideHours: TriggerSettings;
  };
  notifications: {
    /** E-mail recipients (sent over the SMTP server of the business file). */
    emailTo: string[];
    /** The owner's own WhatsApp number (E.164), for a message through the outbox. */
    whatsappTo: string | null;
  };
}

/** One evaluated rule of one turn: whether it fired, and the evidence it saw. */
export interface HandoffDecisionInput {
  phase: 'before' | 'after';
  trigger: HandoffTrigger;
  fired: boolean;
  action: HandoffAction;
  /** Short human-readable evidence, e.g. `"talk to a human" matched person request`. */
  evidence: string;
  /** The rule that decided the turn (the strongest fired one), if any. */
  deciding: boolean;
}

export interface HandoffDecision extends HandoffDecisionInput {
  id: string;
  businessId: string;
  conversationId: string;
  turnId: string;
  createdAt: Date;
}

export interface HandoffDecisionRepository {
  insertMany(
    businessId: string,
    conversationId: string,
    turnId: string,
    decisions: readonly HandoffDecisionInput[],
  ): Promise<void>;
  listForConversation(businessId: string, conversationId: string): Promise<HandoffDecision[]>;
}

export interface StoredHandoffPolicy {
  policy: HandoffPolicy;
  updatedByUserId: string | null;
  updatedAt: Date;
}

/** The owner's policy edited in the console; it overrides the business file's. */
export interface HandoffPolicyRepository {
  get(businessId: string): Promise<StoredHandoffPolicy | null>;
  put(
    businessId: string,
    policy: HandoffPolicy,
    userId: string | null,
  ): Promise<StoredHandoffPolicy>;
}

/** An e-mail to the owner or staff; the SMTP implementation lives with the channels. */
export interface Mailer {
  send(mail: { to: string[]; subject: string; text: string }): Promise<void>;
}
