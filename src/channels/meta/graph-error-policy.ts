import type { GraphError } from './graph-client.js';

/** What to do about a failed send, decided on Meta's error code (never its title or status). */
export type SendFailureAction =
  /** Transient: retry with the usual backoff, or after `delayMs`. */
  | { kind: 'retry'; delayMs?: number }
  /** The number's (or app's) throughput was exceeded: slow every send of this account down. */
  | { kind: 'throttle-account'; delayMs: number }
  /** Too many messages to this person (pair rate): delay this recipient only. */
  | { kind: 'throttle-recipient'; delayMs: number }
  /** The customer-service window is closed: a template, a tag, or the owner must step in. */
  | { kind: 'window-closed' }
  /** The access token is invalid or expired: the owner must renew it; retry later. */
  | { kind: 'token'; delayMs: number }
  /** Will never succeed as sent; `alert` when the owner must fix something on Meta's side. */
  | { kind: 'permanent'; alert: boolean };

const TOKEN_RETRY_MS = 5 * 60_000;

/** Meta suggests retrying a pair-rate error after 4^X seconds (X = attempt). */
function pairRateDelay(attempt: number): number {
  return Math.min(4 ** Math.max(1, attempt), 4 ** 5) * 1000;
}

function throughputDelay(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 60_000);
}

/** How a WhatsApp Cloud API error should be handled (codes from Meta's error-codes page). */
export function whatsappFailureAction(error: GraphError, attempt: number): SendFailureAction {
  switch (error.code) {
    case 131047:
      return { kind: 'window-closed' };
    case 130429:
    case 4:
    case 80007:
      return { kind: 'throttle-account', delayMs: throughputDelay(attempt) };
    case 131057:
      return { kind: 'retry', delayMs: 60_000 };
    case 131056:
      return { kind: 'throttle-recipient', delayMs: pairRateDelay(attempt) };
    case 190:
    case 0:
      return { kind: 'token', delayMs: TOKEN_RETRY_MS };
    case 131000:
    case 1:
    case 2:
    case 131016:
      return { kind: 'retry' };
    case 131026:
    case 131049:
    case 131050:
    case 131051:
    case 131052:
    case 131053:
    case 130472:
      return { kind: 'permanent', alert: false };
    case 131048:
    case 132000:
    case 132001:
    case 132012:
    case 132015:
    case 132016:
    case 368:
    case 131031:
      return { kind: 'permanent', alert: true };
  }
  return unknownError(error);
}

/** How a Messenger or Instagram Send API error should be handled. */
export function messagingFailureAction(error: GraphError, attempt: number): SendFailureAction {
  switch (error.code) {
    case 10:
      // 2018278: the message was sent outside the allowed window.
      return error.subcode === 2018278
        ? { kind: 'window-closed' }
        : { kind: 'permanent', alert: true };
    case 190:
      return { kind: 'token', delayMs: TOKEN_RETRY_MS };
    case 4:
    case 32:
    case 613:
      return { kind: 'throttle-account', delayMs: throughputDelay(attempt) };
    case 1200:
    case 1:
    case 2:
      return { kind: 'retry' };
    case 551:
      return { kind: 'permanent', alert: false };
    case 100:
      // 2018001: no user with this id (deleted account, or an id of another Page).
      return { kind: 'permanent', alert: error.subcode !== 2018001 };
    case 200:
    case 230:
      return { kind: 'permanent', alert: true };
  }
  return unknownError(error);
}

function unknownError(error: GraphError): SendFailureAction {
  // No answer, a 5xx or a 429 without a code: the provider may accept a retry.
  if (error.httpStatus === 0 || error.httpStatus >= 500 || error.httpStatus === 429) {
    return { kind: 'retry' };
  }
  return { kind: 'permanent', alert: error.httpStatus === 401 || error.httpStatus === 403 };
}

/** `131026 Message undeliverable: <details>` — what the console shows on the message. */
export function describeGraphError(error: GraphError): string {
  const code = error.code === null ? `HTTP ${error.httpStatus}` : String(error.code);
  const details = error.details && error.details !== error.title ? `: ${error.details}` : '';
  return `${code} ${error.title}${details}`;
}
