import type {
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';

/** OpenAI's finish reason for the SDK's unified one. */
export function toFinishReason(reason: LanguageModelV3FinishReason): string {
  switch (reason.unified) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function toUsage(usage: LanguageModelV3Usage | undefined) {
  const prompt = usage?.inputTokens.total ?? 0;
  const completion = usage?.outputTokens.total ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(usage?.inputTokens.cacheRead
      ? { prompt_tokens_details: { cached_tokens: usage.inputTokens.cacheRead } }
      : {}),
  };
}

/** A whole (non-streamed) chat completion in OpenAI's shape. */
export function toChatCompletion(
  result: LanguageModelV3GenerateResult,
  meta: { id: string; created: number; model: string },
) {
  let content = '';
  const toolCalls: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }> = [];
  for (const part of result.content) {
    if (part.type === 'text') content += part.text;
    if (part.type === 'tool-call') {
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: part.input },
      });
    }
  }
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content === '' && toolCalls.length > 0 ? null : content,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          refusal: null,
        },
        logprobs: null,
        finish_reason: toFinishReason(result.finishReason),
      },
    ],
    usage: toUsage(result.usage),
  };
}
