import type { PendingAction } from '../../core/commerce.js';
import { commitAppointment } from '../appointments/commit-appointment.js';
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
    case 'book_appointment':
    case 'reschedule_appointment':
    case 'cancel_appointment':
      return commitAppointment(deps, action);
  }
}
