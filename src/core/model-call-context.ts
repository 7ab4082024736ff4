import type { SharedV3ProviderOptions } from '@ai-sdk/provider';

/** The provider-options namespace through which callers tell the gateway whom a call is for. */
export const CALL_CONTEXT_KEY = 'parley';

/** Whom a model call is for: budgets, known names and the egress log are per contact. */
export interface CallContext {
  contactId: string | null;
  conversationId: string | null;
  source: 'agent' | 'gateway' | 'workspace';
}

/** `providerOptions` for `generateText`/`streamText` that carry the call's context. */
export function callContextOptions(context: Partial<CallContext>): SharedV3ProviderOptions {
  return {
    [CALL_CONTEXT_KEY]: {
      contactId: context.contactId ?? null,
      conversationId: context.conversationId ?? null,
      source: context.source ?? 'agent',
    },
  };
}

/** Reads (and validates) the context; missing parts default to an anonymous agent call. */
export function readCallContext(options: SharedV3ProviderOptions | undefined): CallContext {
  const raw = options?.[CALL_CONTEXT_KEY] ?? {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const source = raw.source;
  return {
    contactId: text(raw.contactId),
    conversationId: text(raw.conversationId),
    source: source === 'gateway' || source === 'workspace' ? source : 'agent',
  };
}

/** The options without our namespace: providers need not see it. */
export function withoutCallContext(
  options: SharedV3ProviderOptions | undefined,
): SharedV3ProviderOptions | undefined {
  if (!options || !(CALL_CONTEXT_KEY in options)) return options;
  const { [CALL_CONTEXT_KEY]: _omitted, ...rest } = options;
  return rest;
}
