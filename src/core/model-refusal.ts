import { ParleyError } from './errors.js';

/** Why the model gateway would not send a call to any model. */
export type ModelRefusalReason = 'budget-exhausted' | 'no-allowed-provider' | 'no-model-configured';

/**
 * The gateway refused a call on purpose (a budget's hard stop, or no provider allowed to see the
 * turn's data). Not a model failure: the agent answers with menus or a person instead, and the
 * circuit stays closed.
 */
export class ModelRefusedError extends ParleyError {
  readonly reason: ModelRefusalReason;
  constructor(reason: ModelRefusalReason, message: string) {
    super(reason === 'budget-exhausted' ? 'rate_limited' : 'model_unavailable', message);
    this.name = 'ModelRefusedError';
    this.reason = reason;
  }
}

export function isModelRefusal(error: unknown): error is ModelRefusedError {
  return error instanceof ModelRefusedError;
}
