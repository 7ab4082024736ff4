import { generateText } from 'ai';
import type { Clock } from '../core/clock.js';
import type { HandoffSummary } from '../core/handoff-summary.js';
import type { Message } from '../core/message.js';
import type { ModelBinding } from '../core/model.js';
import { callContextOptions } from '../core/model-call-context.js';
import type { Store } from '../core/store.js';

/** How many of the latest messages the summary reads (and the fallback quotes). */
export const SUMMARY_WINDOW = 12;
const QUOTED_MESSAGES = 6;
const QUOTE_LENGTH = 240;
const MAX_SUMMARY_LENGTH = 1_500;

const TRIGGER_NAMES: Record<string, string> = {
  personRequest: 'the customer asked for a person',
  frustration: 'the customer is frustrated',
  cartValue: 'a large order',
  topics: 'a sensitive topic',
  noProgress: 'no progress',
  complexity: 'the agent rated it too complex',
  flaggedContact: 'a VIP or flagged customer',
  keywords: 'a keyword',
  outsideHours: 'outside opening hours',
};

const AUTHORS: Record<Message['author'], string> = {
  customer: 'Customer',
  agent: 'Agent',
  person: 'Team',
  system: 'Parley',
};

const INSTRUCTIONS = [
  'You brief a member of a small business team who is about to take over a customer conversation from the AI agent.',
  'In at most five short lines: what the customer wants, what has been done or promised so far, what is still open, and the customer’s mood.',
  'Write plainly, in the language of the team (English unless the conversation says otherwise). Do not invent facts; if something is unclear, say so.',
].join(' ');

export interface SummarizeHandoffDependencies {
  store: Store;
  clock: Clock;
  /** The `summaries` route of the model gateway (redaction and data-class rules apply); null: none. */
  summarizer: ModelBinding | null;
  onModelError?: (error: unknown) => void;
}

/**
 * Writes the summary for whoever takes over a handed-off conversation: by the summaries model when
 * one is configured, else (or when it fails) from the facts: the rule that fired, its evidence,
 * and the last messages. At most one per handoff: a summary newer than the handoff is returned as
 * it is.
 */
export async function summarizeHandoff(
  deps: SummarizeHandoffDependencies,
  input: { businessId: string; conversationId: string },
): Promise<{ summary: HandoffSummary; created: boolean } | null> {
  const { store } = deps;
  const conversation = await store.conversations.getById(input.businessId, input.conversationId);
  if (!conversation || conversation.state !== 'waiting_for_person') return null;
  const decisions = await store.handoffDecisions.listForConversation(
    input.businessId,
    input.conversationId,
  );
  const deciding = decisions.filter((decision) => decision.deciding && decision.fired).at(-1);
  const handedAt = deciding?.createdAt ?? conversation.waitingSince ?? new Date(0);
  const latest = await store.handoffSummaries.latest(input.businessId, input.conversationId);
  if (latest && latest.createdAt >= handedAt) return { summary: latest, created: false };

  const messages = (
    await store.messages.listForConversation(input.businessId, input.conversationId)
  )
    .filter((message) => message.text.trim() !== '')
    .slice(-SUMMARY_WINDOW);
  const reason = deciding
    ? `${TRIGGER_NAMES[deciding.trigger] ?? deciding.trigger}: ${deciding.evidence}`
    : (conversation.handoffReason ?? 'handed to a person');

  let text: string | null = null;
  if (deps.summarizer && messages.length > 0) {
    text = await summarizeWithModel(deps.summarizer, conversation, messages, reason).catch(
      (error: unknown) => {
        deps.onModelError?.(error);
        return null;
      },
    );
  }
  const summary = await store.handoffSummaries.insert({
    businessId: input.businessId,
    conversationId: input.conversationId,
    source: text ? 'model' : 'facts',
    text: text ?? factsSummary(reason, messages),
    trigger: deciding?.trigger ?? null,
    evidence: deciding?.evidence ?? conversation.handoffReason,
    modelName: text ? deps.summarizer!.name : null,
  });
  return { summary, created: true };
}

function transcriptLine(message: Message, length: number): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  return `${AUTHORS[message.author]}: ${text.length > length ? `${text.slice(0, length - 1)}…` : text}`;
}

/** The summary without a model: why it was handed over, and the last messages as they were. */
export function factsSummary(reason: string, messages: readonly Message[]): string {
  const quoted = messages
    .slice(-QUOTED_MESSAGES)
    .map((message) => transcriptLine(message, QUOTE_LENGTH));
  return [
    `Handed over: ${reason}.`,
    ...(quoted.length > 0 ? ['Last messages:', ...quoted] : []),
  ].join('\n');
}

async function summarizeWithModel(
  binding: ModelBinding,
  conversation: { contactId: string; id: string },
  messages: readonly Message[],
  reason: string,
): Promise<string | null> {
  const transcript = messages.map((message) => transcriptLine(message, 1_000)).join('\n');
  const result = await generateText({
    model: binding.model,
    system: INSTRUCTIONS,
    prompt: `Why it was handed over: ${reason}\n\nConversation:\n${transcript}`,
    maxRetries: 0,
    providerOptions: callContextOptions({
      contactId: conversation.contactId,
      conversationId: conversation.id,
      source: 'agent',
    }),
    abortSignal: AbortSignal.timeout(binding.timeoutMs),
  });
  const text = result.text.trim();
  if (text === '') return null;
  return text.length > MAX_SUMMARY_LENGTH ? `${text.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : text;
}
