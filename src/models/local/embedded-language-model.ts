import { randomUUID } from 'node:crypto';
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
} from '@ai-sdk/provider';
import type { EngineMessage, EngineRequest, EngineResult } from './engine-protocol.js';

/** What the model needs from a runtime: the in-process engine or the worker host. */
export interface LlamaRuntime {
  generate(request: EngineRequest, signal?: AbortSignal): Promise<EngineResult>;
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
 * chat, tool calls (schema-constrained when the caller requires one), JSON output. Streaming
 * delivers the reply when it is complete (one delta), not token by token.
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

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const result = await this.doGenerate(options);
    const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
    for (const part of result.content) {
      if (part.type === 'text') {
        parts.push(
          { type: 'text-start', id: '0' },
          { type: 'text-delta', id: '0', delta: part.text },
          { type: 'text-end', id: '0' },
        );
      } else if (part.type === 'tool-call') {
        parts.push(part);
      }
    }
    parts.push({ type: 'finish', usage: result.usage, finishReason: result.finishReason });
    return {
      stream: new ReadableStream({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      }),
    };
  }
}
