import type { PendingAction } from '../../core/commerce.js';
import { commitOrder } from '../orders/commit-order.js';
import type { ActionDependencies, ActionOutcome } from './action-dependencies.js';

/**
 * Carries out an action the customer has just confirmed. Null when another turn already settled
 * it (the compare-and-set on its state makes every action happen at most once).
 */
export async function carryOutAction(
  deps: ActionDependencies,
  action: PendingAction,
): Promise<ActionOutcome | null> {
  switch (action.kind) {
    case 'place_order':
      return commitOrder(deps, action);
    default:
      return {
        status: 'failed',
        text: 'Sorry, I cannot do that here yet. A person from the business will help you.',
        handoffReason: `confirmed action ${action.kind} has no handler`,
        result: { reason: 'no handler' },
      };
  }
}
