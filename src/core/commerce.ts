/** Carts, orders and the actions a customer must confirm: the order side of the catalog. */

/** One line of a contact's cart: a variant and how many. Prices are never stored here. */
export interface CartLine {
  variantId: string;
  quantity: number;
}

export type OrderStatus = 'pending_payment' | 'paid' | 'fulfilled' | 'cancelled';

/** A line as ordered: the catalog's price and names copied at the moment the order was placed. */
export interface OrderLine {
  variantId: string | null;
  productTitle: string;
  variantTitle: string;
  sku: string | null;
  unitPriceMinor: number;
  quantity: number;
  lineTotalMinor: number;
}

export interface Order {
  id: string;
  businessId: string;
  contactId: string;
  conversationId: string | null;
  /** Shown to customers ("order 1042"); unique across the installation. */
  number: number;
  status: OrderStatus;
  currency: string;
  totalMinor: number;
  lines: OrderLine[];
  paymentProvider: string | null;
  paymentSessionId: string | null;
  paymentUrl: string | null;
  createdAt: Date;
  paidAt: Date | null;
}

export type PendingActionKind =
  'place_order' | 'book_appointment' | 'reschedule_appointment' | 'cancel_appointment';

/**
 * `proposed`: its summary was (or is being) shown with a confirm button. It then ends exactly once:
 * `confirmed` and carried out, `declined` by the customer, `lapsed` because the customer's next
 * message was not a confirmation, `superseded` by a newer proposal, or `failed` when carrying it
 * out was refused (stock gone, slot taken).
 */
export type PendingActionStatus =
  'proposed' | 'confirmed' | 'declined' | 'lapsed' | 'superseded' | 'failed';

/**
 * Something the agent may not do on its own: Parley composes `summary` from the database (never
 * from the model's words) and commits it only after the customer confirms in their next message.
 */
export interface PendingAction {
  id: string;
  businessId: string;
  contactId: string;
  conversationId: string;
  kind: PendingActionKind;
  /** What to do, in ids and numbers Parley checked; re-checked when it is carried out. */
  payload: Record<string, unknown>;
  summary: string;
  status: PendingActionStatus;
  /** What carrying it out produced (an order id, a booking id) or why it failed. */
  result: Record<string, unknown> | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Choice ids on the confirm buttons; the action id keeps a stale button from confirming another. */
export function confirmChoiceId(actionId: string): string {
  return `confirm:${actionId}`;
}

export function declineChoiceId(actionId: string): string {
  return `decline:${actionId}`;
}
