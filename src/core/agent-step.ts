/** One recorded step of an agent turn: a model call or a tool call, with its cost and time. */
export type AgentStepInput =
  | {
      kind: 'model';
      model: string;
      inputTokens: number | null;
      outputTokens: number | null;
      latencyMs: number;
      finishReason: string;
      text: string;
    }
  | {
      kind: 'tool';
      toolName: string;
      toolCallId: string;
      input: unknown;
      output: unknown;
      latencyMs: number;
      error: string | null;
    }
  | { kind: 'error'; code: string; message: string; latencyMs: number };

export type AgentStep = AgentStepInput & {
  id: string;
  businessId: string;
  conversationId: string;
  turnId: string;
  index: number;
  createdAt: Date;
};
