/**
 * Range checks on orders (promise 2: quantities and amounts are checked). A shop that needs more
 * sells in bulk through a person: the agent hands over rather than stretching these.
 */
export const ORDER_LIMITS = {
  /** Units of one variant in a cart. */
  maxLineQuantity: 20,
  maxCartLines: 20,
  /** Largest order the agent takes, in minor units (£10,000.00). */
  maxOrderTotalMinor: 1_000_000,
  /** How long a customer has to confirm a proposed order or booking. */
  confirmationTtlMs: 30 * 60_000,
} as const;
