import { ParleyError } from '../../core/errors.js';
import type { RedactionSession } from '../pii/redaction-session.js';
import { redactJson, restoreToolInput } from './redact-prompt.js';

/** A content part of an OpenAI chat message, as the gateway accepts them. */
export type WireContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string | undefined } };

/** One message of an OpenAI chat completion request (fields the gateway does not read pass on). */
export interface WireMessage {
  role: string;
  content?: string | WireContentPart[] | null | undefined;
  tool_calls?:
    Array<{ id: string; type: string; function: { name: string; arguments: string } }> | undefined;
}

/** An OpenAI chat completion request, validated by the endpoint before it gets here. */
export interface WireChatRequest {
  model: string;
  messages: WireMessage[];
  stream?: boolean | undefined;
  stream_options?: { include_usage?: boolean | undefined } | null | undefined;
  max_tokens?: number | null | undefined;
  max_completion_tokens?: number | null | undefined;
}

/** OpenAI's usage block (a chat completion's, or a stream's last chunk's). */
export interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

/** Tokens in the egress log's terms. */
export function usageFromWire(usage: WireUsage | null | undefined) {
  return {
    inputTokens: usage?.prompt_tokens ?? null,
    outputTokens: usage?.completion_tokens ?? null,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? null,
  };
}

function redactContent(
  session: RedactionSession,
  content: WireMessage['content'],
): WireMessage['content'] {
  if (content == null) return content;
  if (typeof content === 'string') return session.redact(content);
  return content.map((part) =>
    part.type === 'text' ? { ...part, text: session.redact(part.text) } : part,
  );
}

function redactArguments(session: RedactionSession, raw: string): string {
  let input: unknown;
  try {
    input = JSON.parse(raw) as unknown;
  } catch {
    throw new ParleyError(
      'validation_failed',
      `Tool call arguments are not JSON: ${raw.slice(0, 100)}. Send them as the model produced them.`,
    );
  }
  return JSON.stringify(redactJson(session, input));
}

/**
 * The request's messages with every recognised value replaced by its placeholder, as
 * `redactPrompt` does for the SDK's prompt: message text, earlier tool-call arguments and tool
 * results. Redacting also classifies the call's data. Images pass unchanged.
 */
export function redactMessages(session: RedactionSession, messages: WireMessage[]): WireMessage[] {
  return messages.map((message) => {
    const redacted: WireMessage = { ...message, content: redactContent(session, message.content) };
    if (message.tool_calls) {
      redacted.tool_calls = message.tool_calls.map((call) => ({
        ...call,
        function: {
          ...call.function,
          arguments: redactArguments(session, call.function.arguments),
        },
      }));
    }
    return redacted;
  });
}

/** The prompt's text in characters (about 4 per token), for the budget's estimate. */
export function wireCharacters(messages: WireMessage[]): number {
  let characters = 0;
  for (const message of messages) {
    const content = message.content;
    if (typeof content === 'string') characters += content.length;
    else if (content) {
      for (const part of content) if (part.type === 'text') characters += part.text.length;
    }
    for (const call of message.tool_calls ?? []) characters += call.function.arguments.length;
  }
  return characters;
}

/** Whether any message carries an image (those take the SDK's path, which inlines them). */
export function hasImages(messages: WireMessage[]): boolean {
  return messages.some(
    (message) =>
      Array.isArray(message.content) && message.content.some((part) => part.type !== 'text'),
  );
}

interface WireCompletion {
  choices?: Array<{
    message?: {
      content?: string | null;
      tool_calls?: Array<{ function?: { arguments?: string } }>;
    };
  }>;
  usage?: WireUsage;
}

/** A whole chat completion with real values where the model wrote placeholders. */
export function restoreCompletion(session: RedactionSession, completion: WireCompletion): void {
  for (const choice of completion.choices ?? []) {
    const message = choice.message;
    if (!message) continue;
    if (typeof message.content === 'string') message.content = session.restore(message.content);
    for (const call of message.tool_calls ?? []) {
      if (call.function && typeof call.function.arguments === 'string') {
        call.function.arguments = restoreToolInput(session, call.function.arguments);
      }
    }
  }
}
