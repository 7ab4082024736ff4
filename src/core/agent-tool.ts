import type { z } from 'zod';
import type { Clock } from './clock.js';
import type { Store } from './store.js';

/**
 * Who a tool acts for. Built by Parley from the conversation, never from the model's arguments:
 * a tool can only see and change what this business and this contact may.
 */
export interface ToolScope {
  businessId: string;
  contactId: string;
  conversationId: string;
}

/** Side effects a tool asks the turn to apply when its reply is committed. */
export interface TurnEffects {
  requestHuman(reason: string): void;
}

export interface ToolContext {
  scope: ToolScope;
  store: Store;
  clock: Clock;
  effects: TurnEffects;
}

/** A business tool: a plain function with a zod schema for the model's arguments. */
export interface AgentTool<Input = unknown, Output = unknown> {
  name: string;
  description: string;
  inputSchema: z.ZodType<Input>;
  execute(input: Input, context: ToolContext): Promise<Output>;
  /** What the system prompt should say about this tool for a business (its own settings), if anything. */
  promptNote?(businessId: string): string | null;
}

/** Helps keep each tool's input type while collecting tools of different types in one list. */
export function defineTool<Input, Output>(tool: AgentTool<Input, Output>): AgentTool {
  return tool;
}
