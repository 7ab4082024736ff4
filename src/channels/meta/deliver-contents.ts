import type { DeliveryOutcome, OutboundDelivery } from '../../core/channel.js';
import type { Store } from '../../core/store.js';
import type { ChannelAlerts } from './channel-alerts.js';
import type { GraphError, GraphResult } from './graph-client.js';
import { describeGraphError, type SendFailureAction } from './graph-error-policy.js';
import type { SendPacer } from './send-pacer.js';

/** Waits shorter than this are slept through; longer ones put the reply back in the outbox. */
const INLINE_WAIT_MS = 250;

export interface DeliverContentsInput<Content> {
  store: Store;
  pacer: SendPacer;
  alerts: ChannelAlerts;
  delivery: OutboundDelivery;
  account: { key: string; perSecond: number };
  recipient: string;
  contents: readonly Content[];
  /** Chunk numbers: content `i` is recorded as chunk `firstChunk + i`. */
  firstChunk?: number;
  post(content: Content): Promise<GraphResult>;
  messageIdOf(body: Record<string, unknown>): string | null;
  failureAction(error: GraphError, attempt: number): SendFailureAction;
  /** What to do when the provider says the window is closed (131047, Messenger's 10/2018278). */
  onWindowClosed(description: string): Promise<DeliveryOutcome>;
  sleep?: (milliseconds: number) => Promise<void>;
  /** Waits up to this long are slept through; longer ones put the reply back in the outbox. */
  maxInlineWaitMs?: number;
}

/**
 * Sends a reply's pieces in order, pacing each under the account's and the recipient's budgets.
 * Each accepted piece is recorded at once, so a retry (or a restart after a crash) sends only what
 * the provider has not accepted: a duplicate needs a crash between the provider's accept and that
 * one insert.
 */
export async function deliverContents<Content>(
  input: DeliverContentsInput<Content>,
): Promise<DeliveryOutcome> {
  const { store, delivery } = input;
  const { message } = delivery;
  const firstChunk = input.firstChunk ?? 0;
  const sleep =
    input.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const accepted = new Map(
    (await store.channelMessages.listChunks(message.businessId, message.id)).map((chunk) => [
      chunk.chunk,
      chunk.channelMessageId,
    ]),
  );
  let firstId: string | null = accepted.get(firstChunk) ?? null;

  for (const [index, content] of input.contents.entries()) {
    const chunk = firstChunk + index;
    if (accepted.has(chunk)) continue;
    for (;;) {
      const wait = input.pacer.reserve(input.account, input.recipient);
      if (wait === 0) break;
      if (wait > (input.maxInlineWaitMs ?? INLINE_WAIT_MS)) {
        return { kind: 'deferred', retryAfterMs: wait, reason: 'paced under the send limits' };
      }
      await sleep(wait);
    }
    const result = await input.post(content);
    if (result.ok) {
      const id = input.messageIdOf(result.body);
      if (id !== null) {
        await store.channelMessages.recordChunk(message.businessId, message.id, chunk, id);
        firstId ??= id;
      }
      continue;
    }
    return failureOutcome(input, result.error);
  }
  return { kind: 'sent', channelMessageId: firstId };
}

async function failureOutcome<Content>(
  input: DeliverContentsInput<Content>,
  error: GraphError,
): Promise<DeliveryOutcome> {
  const description = describeGraphError(error);
  const { delivery } = input;
  const action = input.failureAction(error, delivery.attempt);
  const alert = (code: string, advice: string) =>
    input.alerts.alert({
      businessId: delivery.message.businessId,
      channel: delivery.message.channel,
      code,
      message: `${description}. ${advice}`,
    });
  switch (action.kind) {
    case 'retry':
      return {
        kind: 'retry',
        error: description,
        ...(action.delayMs === undefined ? {} : { retryAfterMs: action.delayMs }),
      };
    case 'throttle-account':
      input.pacer.pauseAccount(input.account, action.delayMs);
      return { kind: 'retry', error: description, retryAfterMs: action.delayMs };
    case 'throttle-recipient':
      input.pacer.pauseRecipient(input.account.key, input.recipient, action.delayMs);
      return { kind: 'retry', error: description, retryAfterMs: action.delayMs };
    case 'window-closed':
      return input.onWindowClosed(description);
    case 'token':
      alert(
        'token_rejected',
        `Meta rejected the access token for ${delivery.message.channel}: renew it (a system-user token does not expire) and restart Parley; replies wait in the outbox meanwhile.`,
      );
      return { kind: 'retry', error: description, retryAfterMs: action.delayMs };
    case 'permanent':
      if (action.alert) {
        alert(
          `provider_${error.code ?? error.httpStatus}`,
          'Check the account, templates and permissions in Meta Business Manager.',
        );
      }
      return {
        kind: 'failed',
        error: description,
        ...(error.code === null ? {} : { code: String(error.code) }),
      };
  }
}
