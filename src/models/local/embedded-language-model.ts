import { randomUUID } from 'node:crypto';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { EngineMessage, EngineRequest, EngineResult } from './engine-protocol.js';

/** What the model needs from a runtime: the in-process engine or the worker host. */
export interface LlamaRuntime {
  generate(
    request: EngineRequest,
    signal?: AbortSignal,
    onText?: (text: string) => void,
  ): Promise<EngineResult>;
}

function partsText(parts: ReadonlyArray<{ type: string; text?: string }>): string {
  return parts.map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
}

/** The AI SDK prompt as the engine's turns: tool calls paired with their results. */
export function toEngineRequest(options: LanguageModelV3CallOptions): EngineRequest {
  const results = new Map<string, unknown>();
  for (const message of options.prompt) {
    if (message.role !== 'tool' && message.role !== 'assistant') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result') {
        const output = part.output;
        results.set(part.toolCallId, 'value' in output ? output.value : output.type);
      }
    }
  }
  const messages: EngineMessage[] = [];
  for (const message of options.prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', text: message.content });
        break;
      case 'user':
        messages.push({ role: 'user', text: partsText(message.content) });
        break;
      case 'assistant':
        messages.push({
          role: 'assistant',
          text: partsText(message.content),
          calls: message.content.flatMap((part) =>
            part.type === 'tool-call'
              ? [
                  {
                    name: part.toolName,
                    arguments: part.input,
                    result: results.get(part.toolCallId) ?? null,
                  },
                ]
              : [],
          ),
        });
        break;
      case 'tool':
        break;
    }
  }
  const tools = (options.tools ?? []).flatMap((tool) =>
    tool.type === 'function'
      ? [
          {
            name: tool.name,
            description: tool.description,
            parameters: tool.inputSchema as Record<string, unknown>,
          },
        ]
      : [],
  );
  const choice = options.toolChoice;
  return {
    messages,
    tools,
    toolChoice: !choice ? 'auto' : choice.type === 'tool' ? { tool: choice.toolName } : choice.type,
    jsonSchema:
      options.responseFormat?.type === 'json'
        ? ((options.responseFormat.schema as Record<string, unknown> | undefined) ?? {
            type: 'object',
            properties: {},
          })
        : null,
    maxTokens: options.maxOutputTokens ?? 512,
    temperature: options.temperature ?? null,
    seed: options.seed ?? null,
  };
}

/**
 * A GGUF model run by Parley itself (llama.cpp in a worker thread), as an AI SDK language model:
 * chat (streamed as it is written), tool calls (schema-constrained when the caller requires one),
 * JSON output.
 */
export class EmbeddedLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3';
  readonly provider = 'embedded';
  readonly supportedUrls = {};

  constructor(
    readonly modelId: string,
    private readonly runtime: LlamaRuntime,
  ) {}

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const result = await this.runtime.generate(toEngineRequest(options), options.abortSignal);
    const content: LanguageModelV3Content[] = [];
    if (result.text !== '') content.push({ type: 'text', text: result.text });
    for (const call of result.toolCalls) {
      content.push({
        type: 'tool-call',
        toolCallId: `call_${randomUUID()}`,
        toolName: call.name,
        input: JSON.stringify(call.arguments ?? {}),
      });
    }
    return {
      content,
      finishReason: { unified: result.finish, raw: result.finish },
      usage: {
        inputTokens: {
          total: result.inputTokens,
          noCache: result.inputTokens,
          cacheRead: 0,
          cacheWrite: undefined,
        },
        outputTokens: {
          total: result.outputTokens,
          text: result.outputTokens,
          reasoning: undefined,
        },
      },
      warnings: [],
    };
  }

  doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const request = toEngineRequest(options);
    // Plain replies stream as the model writes them; tool calls and JSON arrive whole, because
    // they are only valid once complete.
    const streamsText =
      request.jsonSchema === null && (request.tools.length === 0 || request.toolChoice === 'none');
    const runtime = this.runtime;
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        controller.enqueue({ type: 'stream-start', warnings: [] });
        let opened = false;
        const open = () => {
          if (!opened) controller.enqueue({ type: 'text-start', id: '0' });
          opened = true;
        };
        const onText = streamsText
          ? (delta: string) => {
              open();
              controller.enqueue({ type: 'text-delta', id: '0', delta });
            }
          : undefined;
        runtime.generate(request, options.abortSignal, onText).then(
          (result) => {
            if (!streamsText && result.text !== '') {
              open();
              controller.enqueue({ type: 'text-delta', id: '0', delta: result.text });
            }
            if (opened) controller.enqueue({ type: 'text-end', id: '0' });
            for (const call of result.toolCalls) {
              controller.enqueue({
                type: 'tool-call',
                toolCallId: `call_${randomUUID()}`,
                toolName: call.name,
                input: JSON.stringify(call.arguments ?? {}),
              });
            }
            controller.enqueue({
              type: 'finish',
              usage: usageOf(result),
              finishReason: { unified: result.finish, raw: result.finish },
            });
            controller.close();
          },
          (error: unknown) => {
            controller.enqueue({ type: 'error', error });
            controller.close();
          },
        );
      },
    });
    return Promise.resolve({ stream });
  }
}

function usageOf(result: EngineResult): LanguageModelV3Usage {
  return {
    inputTokens: {
      total: result.inputTokens,
      noCache: result.inputTokens,
      cacheRead: 0,
      cacheWrite: undefined,
    },
    outputTokens: { total: result.outputTokens, text: result.outputTokens, reasoning: undefined },
  };
}
