import type {
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
} from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import type { ModelBinding } from '../../src/core/model.js';

/** One tool call the scripted model makes; `input` is sent as JSON unless it is already a string. */
export interface ScriptedToolCall {
  toolName: string;
  input: unknown;
  toolCallId?: string;
}

/**
 * What the model does on one call (one step of the tool loop):
 * - `text`: answers and stops;
 * - `toolCalls`: asks for tools (the AI SDK runs them and calls the model again);
 * - `fail`: the call throws this error (a provider error, a network error…);
 * - `hang`: never answers; the call ends only when the agent's timeout aborts it;
 * - a function: anything else (await a gate the test controls, inspect the prompt…).
 */
export type ScriptedStep =
  | { text: string; inputTokens?: number; outputTokens?: number }
  | { toolCalls: ScriptedToolCall[]; inputTokens?: number; outputTokens?: number }
  | { fail: Error }
  | { hang: true }
  | ((call: LanguageModelV3CallOptions) => Promise<LanguageModelV3GenerateResult>);

export interface ScriptedModel {
  binding: ModelBinding;
  /** The options of every call the agent made, in order (prompt, tools, abort signal). */
  calls: LanguageModelV3CallOptions[];
  /** Steps not used yet. */
  remaining(): number;
}

/**
 * A stand-in for the model's choices only: each call to the model takes the next scripted step.
 * A call past the end of the script throws, so a test that expected fewer calls fails loudly.
 */
export function scriptedModel(
  steps: readonly ScriptedStep[],
  options: { name?: string; timeoutMs?: number } = {},
): ScriptedModel {
  const queue = [...steps];
  const calls: LanguageModelV3CallOptions[] = [];
  let callCount = 0;
  const model = new MockLanguageModelV3({
    provider: 'scripted',
    modelId: options.name ?? 'scripted-model',
    async doGenerate(call) {
      calls.push(call);
      callCount++;
      const step = queue.shift();
      if (!step) {
        throw new Error(`The scripted model has no step left for call ${callCount}.`);
      }
      if (typeof step === 'function') return step(call);
      if ('fail' in step) throw step.fail;
      if ('hang' in step) return waitForAbort(call.abortSignal);
      if ('text' in step) {
        return generateResult([{ type: 'text', text: step.text }], 'stop', step);
      }
      return generateResult(
        step.toolCalls.map((toolCall, index) => ({
          type: 'tool-call' as const,
          toolCallId: toolCall.toolCallId ?? `call-${callCount}-${index + 1}`,
          toolName: toolCall.toolName,
          input:
            typeof toolCall.input === 'string' ? toolCall.input : JSON.stringify(toolCall.input),
        })),
        'tool-calls',
        step,
      );
    },
  });
  return {
    binding: {
      model,
      name: options.name ?? 'scripted-model',
      timeoutMs: options.timeoutMs ?? 10_000,
    },
    calls,
    remaining: () => queue.length,
  };
}

/** A model result as a provider returns it, with token counts for the step records. */
export function generateResult(
  content: LanguageModelV3Content[],
  finishReason: 'stop' | 'tool-calls',
  tokens: { inputTokens?: number; outputTokens?: number } = {},
): LanguageModelV3GenerateResult {
  const inputTokens = tokens.inputTokens ?? 100;
  const outputTokens = tokens.outputTokens ?? 20;
  return {
    content,
    finishReason: { unified: finishReason, raw: finishReason === 'stop' ? 'stop' : 'tool_calls' },
    usage: {
      inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
    },
    warnings: [],
  };
}

/** A promise and the functions that settle it: a gate a test opens when it is ready. */
export function gate<T = void>(): {
  promise: Promise<T>;
  open(value: T): void;
} {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** The system prompt of a recorded call. */
export function systemPromptOf(call: LanguageModelV3CallOptions): string {
  return call.prompt
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n');
}

/** The conversation of a recorded call as `role: text` lines, system prompt left out. */
export function conversationOf(prompt: LanguageModelV3Prompt): string[] {
  const lines: string[] = [];
  for (const message of prompt) {
    if (message.role === 'system') continue;
    for (const part of message.content) {
      if (part.type === 'text') lines.push(`${message.role}: ${part.text}`);
    }
  }
  return lines;
}

/** The tool results a recorded call sent back to the model, by tool name. */
export function toolResultsOf(
  call: LanguageModelV3CallOptions,
): Array<{ toolName: string; output: unknown }> {
  const results: Array<{ toolName: string; output: unknown }> = [];
  for (const message of call.prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result')
        results.push({ toolName: part.toolName, output: part.output });
    }
  }
  return results;
}

function waitForAbort(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (!signal) {
      reject(new Error('The scripted model was told to hang, but the call has no abort signal.'));
      return;
    }
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** The first tool output of the call, unwrapped from the AI SDK's `{type: 'json', value}`. */
export function firstToolOutput<T>(call: LanguageModelV3CallOptions): T {
  const output = toolResultsOf(call)[0]!.output as { type?: string; value?: unknown };
  return (output.type === 'json' ? output.value : output) as T;
}

/** A model step that answers with a text composed from the last tool result (as a model would). */
export function answerFrom<T>(compose: (output: T) => string): ScriptedStep {
  return (call) =>
    Promise.resolve(
      generateResult([{ type: 'text', text: compose(firstToolOutput<T>(call)) }], 'stop'),
    );
}

/** A model step that calls one tool with an input built from the last tool result. */
export function callFrom<T>(toolName: string, input: (output: T) => unknown): ScriptedStep {
  return (call) =>
    Promise.resolve(
      generateResult(
        [
          {
            type: 'tool-call',
            toolCallId: `call-${toolName}`,
            toolName,
            input: JSON.stringify(input(firstToolOutput<T>(call))),
          },
        ],
        'tool-calls',
      ),
    );
}
