import type { ConversationState } from '../../core/conversation.js';
import type { Store } from '../../core/store.js';
import type { ChannelAlerts } from './channel-alerts.js';
import type { GraphClient } from './graph-client.js';
import type { MetaAccountDirectory } from './meta-account-directory.js';
import { findRecipient } from './recipient.js';

export interface HolderChange {
  businessId: string;
  conversationId: string;
  change: 'take-over' | 'hand-back' | 'resolve';
  from: ConversationState;
}

/**
 * Conversation routing on Messenger and Instagram (Meta's Handover Protocol, which Conversation
 * Routing keeps): where `threadControl` is configured, another app answers by default and Parley
 * listens on standby. A person taking the conversation over in the console takes the thread
 * (`POST /<page id>/take_thread_control`), so their replies can be sent; handing it back or
 * resolving it passes the thread to the configured app (`/pass_thread_control`, `target_app_id`).
 * Called after the change is committed; a refusal from Meta is the owner's to fix, as an alert.
 */
export function createThreadControl(deps: {
  store: Store;
  graph: GraphClient;
  accounts: MetaAccountDirectory;
  alerts: ChannelAlerts;
}) {
  return async function applyHolderChange(input: HolderChange): Promise<void> {
    const { businessId, change } = input;
    // Only a thread Parley took is passed on: resolving a conversation the agent held is not.
    if (change !== 'take-over' && input.from !== 'person') return;
    const conversation = await deps.store.conversations.getById(businessId, input.conversationId);
    const channel = conversation?.channel;
    if (!conversation || (channel !== 'messenger' && channel !== 'instagram')) return;
    const target = handoverTarget(deps.accounts, businessId, channel);
    if (!target) return;
    const recipient = await findRecipient(deps.store, businessId, conversation.contactId, channel);
    if (!recipient) return;

    const taking = change === 'take-over';
    const result = await deps.graph.post(
      deps.graph.url(`${target.pageId}/${taking ? 'take_thread_control' : 'pass_thread_control'}`),
      target.token,
      taking
        ? { recipient: { id: recipient.id }, metadata: 'parley:take-over' }
        : {
            recipient: { id: recipient.id },
            target_app_id: target.handBackTo,
            metadata: `parley:${change}`,
          },
    );
    if (result.ok) return;
    const { error } = result;
    deps.alerts.alert({
      businessId,
      channel,
      code: 'thread_control_failed',
      message: `Meta refused to ${taking ? 'give Parley the thread' : `pass the thread to app ${target.handBackTo}`} of conversation ${conversation.id} (${error.code ?? error.httpStatus} ${error.title}${error.details ? `: ${error.details}` : ''}). ${
        taking
          ? "A person's replies may not be delivered: check that Parley's app has the Facebook primary receiver role in the Page's conversation routing settings."
          : 'Check threadControl.handBackTo: it must be an app connected to the Page.'
      }`,
    });
  };
}

/** The Page whose handover endpoints serve this channel, when thread control is configured. */
function handoverTarget(
  accounts: MetaAccountDirectory,
  businessId: string,
  channel: 'messenger' | 'instagram',
): { pageId: string; token: string; handBackTo: string } | null {
  if (channel === 'messenger') {
    const account = accounts.messenger(businessId);
    return account?.threadControl
      ? {
          pageId: account.pageId,
          token: account.pageAccessToken,
          handBackTo: account.threadControl.handBackTo,
        }
      : null;
  }
  // Instagram hands over through its linked Page (`login: facebook`, checked by the config).
  const account = accounts.instagram(businessId);
  return account?.threadControl && account.pageId
    ? {
        pageId: account.pageId,
        token: account.accessToken,
        handBackTo: account.threadControl.handBackTo,
      }
    : null;
}
