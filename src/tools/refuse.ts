import type { ToolContext } from '../core/agent-tool.js';
import { ParleyError, type ErrorCode } from '../core/errors.js';

/**
 * Refuses a tool call and records why in the audit log (promise 2: whatever the model asks, the
 * tool layer decides, and every refusal is on record). The message goes back to the model.
 */
export async function refuse(
  context: ToolContext,
  tool: string,
  code: Extract<ErrorCode, 'forbidden' | 'not_found' | 'validation_failed' | 'conflict'>,
  message: string,
  details: Record<string, unknown> = {},
): Promise<never> {
  await context.store.audit.record({
    businessId: context.scope.businessId,
    actorType: 'agent',
    actorId: null,
    action: 'tool.refused',
    subjectType: 'conversation',
    subjectId: context.scope.conversationId,
    details: { tool, code, reason: message, contactId: context.scope.contactId, ...details },
  });
  throw new ParleyError(code, message);
}
