import type {
  LanguageModelV3Content,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultOutput,
} from '@ai-sdk/provider';
import type { RedactionSession } from '../pii/redaction-session.js';

/** Every string inside a JSON value, redacted. */
export function redactJson(session: RedactionSession, value: unknown): unknown {
  if (typeof value === 'string') return session.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(session, item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactJson(session, item)]),
    );
  }
  return value;
}

function redactOutput(
  session: RedactionSession,
  output: LanguageModelV3ToolResultOutput,
): LanguageModelV3ToolResultOutput {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return { ...output, value: session.redact(output.value) };
    case 'json':
    case 'error-json':
      return { ...output, value: redactJson(session, output.value) as typeof output.value };
    default:
      return output;
  }
}

/**
 * The prompt with every recognised value replaced by its placeholder: system text, messages, the
 * model's own earlier tool-call arguments and the tools' results (which hold the customer's orders
 * and bookings). Files (images, audio) are passed unchanged: they cannot be redacted as text.
 */
export function redactPrompt(
  prompt: LanguageModelV3Prompt,
  session: RedactionSession,
): LanguageModelV3Prompt {
  return prompt.map((message) => {
    switch (message.role) {
      case 'system':
        return { ...message, content: session.redact(message.content) };
      case 'user':
        return {
          ...message,
          content: message.content.map((part) =>
            part.type === 'text' ? { ...part, text: session.redact(part.text) } : part,
          ),
        };
      case 'assistant':
        return {
          ...message,
          content: message.content.map((part) => {
            switch (part.type) {
              case 'text':
              case 'reasoning':
                return { ...part, text: session.redact(part.text) };
              case 'tool-call':
                return { ...part, input: redactJson(session, part.input) };
              case 'tool-result':
                return { ...part, output: redactOutput(session, part.output) };
              default:
                return part;
            }
          }),
        };
      case 'tool':
        return {
          ...message,
          content: message.content.map((part) =>
            part.type === 'tool-result'
              ? { ...part, output: redactOutput(session, part.output) }
              : part,
          ),
        };
    }
  });
}

/** Tool-call arguments arrive JSON-encoded: restore inside the parsed value, then re-encode. */
export function restoreToolInput(session: RedactionSession, input: string): string {
  if (!session.hasRedactions || !input.includes('[')) return input;
  try {
    return JSON.stringify(session.restoreDeep(JSON.parse(input)));
  } catch {
    // Not JSON (the model's mistake, reported later by the SDK): restore as text.
    return session.restore(input);
  }
}

/** The model's answer with real values where it wrote placeholders. */
export function restoreContent(
  session: RedactionSession,
  content: readonly LanguageModelV3Content[],
): LanguageModelV3Content[] {
  return content.map((part) => {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        return { ...part, text: session.restore(part.text) };
      case 'tool-call':
        return { ...part, input: restoreToolInput(session, part.input) };
      default:
        return part;
    }
  });
}
