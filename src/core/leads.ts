/** The kinds of answer a qualification question takes. */
export const LEAD_QUESTION_TYPES = [
  'text',
  'number',
  'choice',
  'email',
  'phone',
  'boolean',
] as const;
export type LeadQuestionType = (typeof LEAD_QUESTION_TYPES)[number];

/** A stored answer: text (e-mail lower-cased, phone in E.164, choice as configured), a number or a flag. */
export type LeadAnswer = string | number | boolean;

export interface LeadQuestion {
  /** Stable key of the answer, e.g. `budget`; what the model passes to `save_lead`. */
  id: string;
  /** How the agent may ask it, e.g. "What budget do you have in mind?". */
  prompt: string;
  type: LeadQuestionType;
  required: boolean;
  /** The allowed answers of a `choice` question (empty for other types). */
  choices: string[];
  /** Range of a `number` answer (null: unbounded on that side). */
  min: number | null;
  max: number | null;
}

/** When a scoring rule gives its points. */
export type LeadCondition =
  | { kind: 'equals'; value: LeadAnswer }
  | { kind: 'atLeast'; value: number }
  | { kind: 'atMost'; value: number }
  | { kind: 'contains'; value: string }
  | { kind: 'answered' };

export interface LeadScoringRule {
  question: string;
  condition: LeadCondition;
  points: number;
}

/** A stage of the pipeline; one with `minScore` is reached by score, one without only by a person. */
export interface LeadStage {
  name: string;
  minScore: number | null;
}

/** Where leads are pushed (a CRM), signed with `secret` (HMAC-SHA256). */
export interface LeadWebhook {
  url: string;
  secret: string;
  /**
   * The operator allows this CRM to be on a private network (the business's own LAN, a server on
   * the same machine). Otherwise Parley connects only to public addresses (no SSRF).
   */
  allowPrivateNetwork: boolean;
}

/** A business's qualification schema: what the agent asks, how answers score, where leads go. */
export interface LeadSettings {
  /** When the agent should qualify, in the owner's words (e.g. "custom builds and fittings"). */
  purpose: string;
  /** ISO 3166 country for phone numbers written without +country code (null: must have one). */
  defaultCountry: string | null;
  questions: LeadQuestion[];
  scoring: LeadScoringRule[];
  /** In pipeline order. */
  stages: LeadStage[];
  webhook: LeadWebhook | null;
}

/** One lead per contact per business, updated in place as answers arrive. */
export interface Lead {
  id: string;
  businessId: string;
  contactId: string;
  /** The conversation the latest answers came from. */
  conversationId: string | null;
  answers: Record<string, LeadAnswer>;
  score: number;
  stage: string;
  /** `person`: someone set the stage by hand, so new answers change the score but not the stage. */
  stageSetBy: 'score' | 'person';
  createdAt: Date;
  updatedAt: Date;
}

/** A lead with the contact details the console and exports show. */
export interface LeadWithContact extends Lead {
  contact: { displayName: string | null; phone: string | null; email: string | null };
}

export interface LeadListFilter {
  stage?: string | undefined;
  minScore?: number | undefined;
  /** Matches the contact's name, phone or e-mail and the answers' text. */
  text?: string | undefined;
  /** Default 200; null: every lead (the CSV export). */
  limit?: number | null | undefined;
}

export interface LeadRepository {
  /**
   * The contact's lead, locked until the transaction ends (use inside `transaction`); created
   * empty, in `stage`, when the contact has none yet.
   */
  lockOrCreate(input: {
    businessId: string;
    contactId: string;
    conversationId: string;
    stage: string;
  }): Promise<{ lead: Lead; created: boolean }>;
  update(
    businessId: string,
    id: string,
    change: {
      answers: Record<string, LeadAnswer>;
      score: number;
      stage: string;
      conversationId: string;
    },
  ): Promise<Lead>;
  /** Sets the stage by hand; returns the lead before and after, or null when not found. */
  setStage(
    businessId: string,
    id: string,
    stage: string,
  ): Promise<{ before: Lead; after: LeadWithContact } | null>;
  getForContact(businessId: string, contactId: string): Promise<Lead | null>;
  getById(businessId: string, id: string): Promise<LeadWithContact | null>;
  /** Highest score first, then most recently updated. */
  list(businessId: string, filter?: LeadListFilter): Promise<LeadWithContact[]>;
}

export type LeadEvent = 'lead.created' | 'lead.stage_changed';

/** One push of a lead to the CRM webhook, retried with backoff until it is accepted. */
export interface LeadDelivery {
  id: string;
  businessId: string;
  leadId: string;
  event: LeadEvent;
  /** The lead as it was when the event happened (what the CRM receives). */
  payload: Record<string, unknown>;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
}

export interface LeadDeliveryRepository {
  enqueue(input: {
    businessId: string;
    leadId: string;
    event: LeadEvent;
    payload: Record<string, unknown>;
    at: Date;
  }): Promise<LeadDelivery>;
  /**
   * Claims up to `limit` due deliveries, leasing them until `leaseUntil` (safe across processes).
   * A lead's deliveries leave in order: one waits while an earlier one of its lead is pending.
   */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<LeadDelivery[]>;
  markSent(id: string): Promise<void>;
  reschedule(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  /** The lead's deliveries, newest first. */
  listForLead(businessId: string, leadId: string): Promise<LeadDelivery[]>;
}
