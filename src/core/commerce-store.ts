import type {
  CartLine,
  Order,
  OrderLine,
  OrderStatus,
  PendingAction,
  PendingActionKind,
  PendingActionStatus,
} from './commerce.js';

/** A contact's cart: one per contact, kept until an order is placed from it. */
export interface CartRepository {
  lines(businessId: string, contactId: string): Promise<CartLine[]>;
  /** Sets a line's quantity; 0 removes the line. */
  setQuantity(
    businessId: string,
    contactId: string,
    variantId: string,
    quantity: number,
  ): Promise<void>;
  clear(businessId: string, contactId: string): Promise<void>;
}

export interface NewOrder {
  businessId: string;
  contactId: string;
  conversationId: string | null;
  currency: string;
  lines: OrderLine[];
}

export interface OrderRepository {
  /** Inserts the order as `pending_payment`; the total is the sum of the lines. */
  create(input: NewOrder): Promise<Order>;
  getById(businessId: string, id: string): Promise<Order | null>;
  /** The contact's order with this number; another contact's order is not found. */
  getForContact(businessId: string, contactId: string, number: number): Promise<Order | null>;
  /** Newest first. */
  listForContact(businessId: string, contactId: string, limit: number): Promise<Order[]>;
  attachPayment(
    businessId: string,
    id: string,
    payment: { provider: string; sessionId: string; url: string },
  ): Promise<void>;
  /**
   * The business's order a payment session belongs to. Scoped like every other lookup: a webhook
   * verified with one business's secret can never reach another business's order.
   */
  findByPaymentSession(
    businessId: string,
    provider: string,
    sessionId: string,
  ): Promise<Order | null>;
  /** Compare-and-set on the status; null when the order was not in one of `from`. */
  transition(
    businessId: string,
    id: string,
    change: { from: readonly OrderStatus[]; to: OrderStatus; at: Date },
  ): Promise<Order | null>;
}

export interface NewPendingAction {
  businessId: string;
  contactId: string;
  conversationId: string;
  kind: PendingActionKind;
  payload: Record<string, unknown>;
  summary: string;
  expiresAt: Date;
}

export interface PendingActionRepository {
  /** Records a proposal; an earlier open proposal of the conversation becomes `superseded`. */
  propose(input: NewPendingAction): Promise<PendingAction>;
  getById(businessId: string, id: string): Promise<PendingAction | null>;
  /** The conversation's open proposal, if any. */
  findOpen(businessId: string, conversationId: string): Promise<PendingAction | null>;
  /**
   * Ends an open proposal: moves it from `proposed` to `to` only if it is still `proposed`, so two
   * turns can never both carry it out. Returns whether this call ended it.
   */
  settle(
    businessId: string,
    id: string,
    to: Exclude<PendingActionStatus, 'proposed'>,
    result: Record<string, unknown> | null,
  ): Promise<boolean>;
}
