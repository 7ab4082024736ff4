import type { Clock } from '../../core/clock.js';
import type { MessagePart } from '../../core/message.js';
import type { PaymentProvider } from '../../core/payments.js';
import type { Store } from '../../core/store.js';

/** What carrying out a confirmed action needs (built by the composition root). */
export interface ActionDependencies {
  store: Store;
  clock: Clock;
  /** Null: orders are placed without a payment link (the business takes payment in person). */
  paymentsFor(businessId: string): PaymentProvider | null;
  /** Where customers reach Parley (`PARLEY_PUBLIC_URL`), for links to invites; absent: none. */
  publicUrl?: string;
}

/** What Parley tells the customer once an action was carried out, refused or failed. */
export interface ActionOutcome {
  status: 'confirmed' | 'failed';
  text: string;
  /** Set when a person must follow up (a payment link that could not be made…). */
  handoffReason: string | null;
  result: Record<string, unknown>;
  /** Sent with the text (an appointment's calendar invite…). */
  attachments?: MessagePart[];
}
