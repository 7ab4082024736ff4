import { generateText, stepCountIs, tool, type ModelMessage, type ToolSet } from 'ai';
import type { AgentStepInput } from '../core/agent-step.js';
import type { AgentTool, ToolContext } from '../core/agent-tool.js';
import type { ModelBinding } from '../core/model.js';
import { callContextOptions } from '../core/model-call-context.js';
import { isModelRefusal } from '../core/model-refusal.js';

export interface ToolLoopInput {
  binding: ModelBinding;
  system: string;
  messages: ModelMessage[];
  tools: readonly AgentTool[];
  context: ToolContext;
  maxSteps: number;
  now: () => number;
}

export type ToolLoopResult =
  | { ok: true; text: string; steps: AgentStepInput[] }
  | { ok: false; code: string; message: string; steps: AgentStepInput[] };

/**
 * One attempt at a reply: the model may call tools (scoped by `context`, never by its arguments)
 * for up to `maxSteps` steps. Every model call and tool call is recorded as a step. Failures come
 * back as data: the caller decides whether to retry.
 */
export async function runToolLoop(input: ToolLoopInput): Promise<ToolLoopResult> {
  const steps: AgentStepInput[] = [];
  const toolLatency = new Map<string, number>();
  const toolSet: ToolSet = {};
  for (const agentTool of input.tools) {
    toolSet[agentTool.name] = tool({
      description: agentTool.description,
      inputSchema: agentTool.inputSchema,
      execute: async (args: unknown, { toolCallId }) => {
        const started = input.now();
        try {
          return await agentTool.execute(args, input.context);
        } finally {
          toolLatency.set(toolCallId, input.now() - started);
        }
      },
    });
  }

  let stepStarted = input.now();
  const started = stepStarted;
  try {
    const result = await generateText({
      model: input.binding.model,
      system: input.system,
      messages: input.messages,
      tools: toolSet,
      stopWhen: stepCountIs(input.maxSteps),
      // Retries are the caller's: one policy for timeouts, HTTP errors and malformed output.
      maxRetries: 0,
      // Whom the call is for: the model gateway's budgets, redaction and egress log are per contact.
      providerOptions: callContextOptions({
        contactId: input.context.scope.contactId,
        conversationId: input.context.scope.conversationId,
        source: 'agent',
      }),
      abortSignal: AbortSignal.timeout(input.binding.timeoutMs),
      onStepFinish(step) {
        const ended = input.now();
        const toolSteps: AgentStepInput[] = [];
        for (const part of step.content) {
          if (part.type !== 'tool-result' && part.type !== 'tool-error') continue;
          toolSteps.push({
            kind: 'tool',
            toolName: part.toolName,
            toolCallId: part.toolCallId,
            input: part.input,
            output: part.type === 'tool-result' ? part.output : null,
            latencyMs: toolLatency.get(part.toolCallId) ?? 0,
            error: part.type === 'tool-error' ? describeError(part.error) : null,
          });
        }
        const toolTime = toolSteps.reduce((sum, toolStep) => sum + toolStep.latencyMs, 0);
        steps.push({
          kind: 'model',
          model: input.binding.name,
          inputTokens: step.usage.inputTokens ?? null,
          outputTokens: step.usage.outputTokens ?? null,
          latencyMs: Math.max(0, ended - stepStarted - toolTime),
          finishReason: step.finishReason,
          text: step.text,
        });
        steps.push(...toolSteps);
        stepStarted = ended;
      },
    });
    const text = result.text.trim();
    if (text === '') {
      const message =
        result.finishReason === 'tool-calls'
          ? `The model was still calling tools after ${input.maxSteps} steps and gave no reply.`
          : 'The model returned an empty reply.';
      steps.push({ kind: 'error', code: 'model_output_invalid', message, latencyMs: 0 });
      return { ok: false, code: 'model_output_invalid', message, steps };
    }
    return { ok: true, text, steps };
  } catch (error) {
    const { code, message } = classifyModelError(error, input.binding.timeoutMs);
    steps.push({ kind: 'error', code, message, latencyMs: input.now() - started });
    return { ok: false, code, message, steps };
  }
}

/** A stable code and a readable message for whatever a model call threw. */
export function classifyModelError(
  error: unknown,
  timeoutMs: number,
): { code: string; message: string } {
  // The gateway refused on purpose (budget spent, no model allowed for the data): not a failure.
  if (isModelRefusal(error)) return { code: 'model_refused', message: error.message };
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { code: 'model_timeout', message: `The model did not answer within ${timeoutMs} ms.` };
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  // The AI SDK reports a 2xx body it cannot parse as an API call error with that 2xx status:
  // the server answered, but not with a reply the agent can use.
  if (typeof status === 'number' && status >= 200 && status < 300) {
    return {
      code: 'model_output_invalid',
      message: `The model server's answer could not be read: ${describeError(error)}`,
    };
  }
  if (typeof status === 'number') {
    return {
      code: status >= 500 ? 'model_server_error' : 'model_request_rejected',
      message: `The model server answered HTTP ${status}: ${describeError(error)}`,
    };
  }
  if (name.includes('ToolCall') || name.includes('ToolInput') || name.includes('NoSuchTool')) {
    return { code: 'model_output_invalid', message: describeError(error) };
  }
  if (name === 'AI_RetryError' || name === 'AI_APICallError' || error instanceof TypeError) {
    return {
      code: 'model_unreachable',
      message: `The model server could not be reached: ${describeError(error)}`,
    };
  }
  return { code: 'model_error', message: describeError(error) };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}
