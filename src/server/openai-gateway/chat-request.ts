import type {
  LanguageModelV3CallOptions,
  LanguageModelV3FilePart,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3TextPart,
  LanguageModelV3ToolChoice,
} from '@ai-sdk/provider';
import { z } from 'zod';
import { ParleyError } from '../../core/errors.js';

const contentPart = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string(), detail: z.string().optional() }),
  }),
]);

const toolCall = z.object({
  id: z.string(),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const message = z.discriminatedUnion('role', [
  z.object({
    role: z.enum(['system', 'developer']),
    content: z.union([z.string(), z.array(contentPart)]),
  }),
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(contentPart)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(contentPart)]).nullish(),
    tool_calls: z.array(toolCall).optional(),
  }),
  z.object({
    role: z.literal('tool'),
    tool_call_id: z.string(),
    content: z.union([z.string(), z.array(contentPart)]),
  }),
]);

/** The subset of OpenAI's chat completion request that Parley's gateway understands. */
export const chatCompletionRequest = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  tools: z
    .array(
      z.object({
        type: z.literal('function'),
        function: z.object({
          name: z.string(),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
    ])
    .optional(),
  response_format: z
    .union([
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({
        type: z.literal('json_schema'),
        json_schema: z.object({
          name: z.string(),
          schema: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    ])
    .optional(),
  user: z.string().optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;

type Part = z.infer<typeof contentPart>;

function text(content: string | Part[] | null | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function userParts(
  content: string | Part[],
): Array<LanguageModelV3TextPart | LanguageModelV3FilePart> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const url = part.image_url.url;
    const inline = /^data:([^;,]+);base64,(.*)$/s.exec(url);
    return inline
      ? { type: 'file', mediaType: inline[1]!, data: inline[2]! }
      : { type: 'file', mediaType: 'image/*', data: new URL(url) };
  });
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ParleyError(
      'validation_failed',
      `Tool call arguments are not JSON: ${raw.slice(0, 100)}. Send them as the model produced them.`,
    );
  }
}

/** OpenAI's request as the AI SDK's provider-level call options. */
export function toCallOptions(request: ChatCompletionRequest): LanguageModelV3CallOptions {
  const toolNames = new Map<string, string>();
  const prompt: LanguageModelV3Message[] = request.messages.map((entry): LanguageModelV3Message => {
    switch (entry.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: text(entry.content) };
      case 'user':
        return { role: 'user', content: userParts(entry.content) };
      case 'assistant': {
        const content: Extract<LanguageModelV3Message, { role: 'assistant' }>['content'] = [];
        const said = text(entry.content);
        if (said !== '') content.push({ type: 'text', text: said });
        for (const call of entry.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          content.push({
            type: 'tool-call',
            toolCallId: call.id,
            toolName: call.function.name,
            input: parseArguments(call.function.arguments),
          });
        }
        return { role: 'assistant', content };
      }
      case 'tool':
        return {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: entry.tool_call_id,
              toolName: toolNames.get(entry.tool_call_id) ?? 'unknown',
              output: { type: 'text', value: text(entry.content) },
            },
          ],
        };
    }
  });
  const tools: LanguageModelV3FunctionTool[] | undefined = request.tools?.map((entry) => ({
    type: 'function',
    name: entry.function.name,
    ...(entry.function.description ? { description: entry.function.description } : {}),
    inputSchema: entry.function.parameters ?? {
      type: 'object',
      properties: {},
    },
  }));
  const choice = request.tool_choice;
  const toolChoice: LanguageModelV3ToolChoice | undefined =
    choice === undefined
      ? undefined
      : typeof choice === 'string'
        ? { type: choice }
        : { type: 'tool', toolName: choice.function.name };
  const format = request.response_format;
  const stop = request.stop;
  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens;
  return {
    prompt,
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(maxOutputTokens != null ? { maxOutputTokens } : {}),
    ...(request.temperature != null ? { temperature: request.temperature } : {}),
    ...(request.top_p != null ? { topP: request.top_p } : {}),
    ...(request.seed != null ? { seed: request.seed } : {}),
    ...(request.presence_penalty != null ? { presencePenalty: request.presence_penalty } : {}),
    ...(request.frequency_penalty != null ? { frequencyPenalty: request.frequency_penalty } : {}),
    ...(stop != null ? { stopSequences: typeof stop === 'string' ? [stop] : stop } : {}),
    ...(format && format.type !== 'text'
      ? {
          responseFormat: {
            type: 'json' as const,
            ...(format.type === 'json_schema' && format.json_schema.schema
              ? { schema: format.json_schema.schema, name: format.json_schema.name }
              : {}),
          },
        }
      : {}),
  };
}
