import { useEffect, useRef, useState } from 'react';
import { consoleApi } from '../api/console-api.js';
import { inboxApi, type InboxConversationDetail, type Team } from '../api/inbox-api.js';
import type { WireConversation } from '../../shared/wire-types.js';
import { contactName } from '../format.js';
import { navigate } from '../router.js';
import { useSession } from '../session-context.js';
import { useCoalescedLoader } from '../use-coalesced-loader.js';
import { ChannelBadge, StateBadge } from './badges.js';
import { ReplyBox } from './reply-box.js';
import { ThreadActions } from './thread-actions.js';
import { ThreadBanners } from './thread-banners.js';
import { ThreadInboxBar } from './thread-inbox-bar.js';
import { ThreadTimeline } from './thread-timeline.js';
import { HandoffDecisions } from '../handoff/handoff-decisions.js';
import { HandoffSummaryCard } from '../handoff/handoff-summary.js';
import { ContactPanel } from '../contacts/contact-panel.js';

interface ThreadViewProps {
  conversationId: string;
  /** Changes when a live event concerns this conversation. */
  version: number;
  /** The team (assignment, presence) and the response target; null while loading. */
  team: Team | null;
  /** Tells the inbox that the list may have changed (state, unread count). */
  onChanged: () => void;
}

/** One conversation: header with actions, banners, the timeline, and the reply box. */
export function ThreadView({ conversationId, version, team, onChanged }: ThreadViewProps) {
  const { user } = useSession();
  const detail = useCoalescedLoader(`thread:${conversationId}`, () =>
    inboxApi.getConversation(conversationId),
  );
  const [actionError, setActionError] = useState<string | null>(null);
  const firstVersion = useRef(version);
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;

  useEffect(() => {
    void consoleApi.markRead(conversationId).then(
      () => onChangedRef.current(),
      () => {},
    );
  }, [conversationId]);

  const { reload } = detail;
  useEffect(() => {
    if (version !== firstVersion.current) reload();
  }, [version, reload]);

  const unread = detail.value?.conversation.unreadCount ?? 0;
  useEffect(() => {
    if (unread > 0 && version !== firstVersion.current) {
      void consoleApi.markRead(conversationId).then(
        () => onChangedRef.current(),
        () => {},
      );
    }
  }, [unread, version, conversationId]);

  const current = detail.value;
  if (!current) {
    return (
      <section className="thread" aria-busy={!detail.error}>
        <ThreadBackLink />
        <p
          className={detail.error ? 'list-error' : 'list-note'}
          role={detail.error ? 'alert' : undefined}
        >
          {detail.error ?? 'Loading the conversation…'}
        </p>
      </section>
    );
  }

  const { conversation } = current;
  const applied = (updated: WireConversation) => {
    detail.setValue({
      ...current,
      conversation: { ...current.conversation, ...updated },
    } satisfies InboxConversationDetail);
    detail.reload();
    onChanged();
  };

  return (
    <section className="thread" aria-label={`Conversation with ${contactName(conversation)}`}>
      <header className="thread-header">
        <ThreadBackLink />
        <div className="thread-title">
          <h2 data-testid="thread-title">{contactName(conversation)}</h2>
          <div className="thread-badges">
            <ChannelBadge channel={conversation.channel} />
            <StateBadge
              state={conversation.state}
              heldByViewer={conversation.assignedUserId === user.id}
            />
          </div>
        </div>
        <ThreadActions conversation={conversation} onApplied={applied} onError={setActionError} />
      </header>
      <ThreadInboxBar
        conversation={conversation}
        team={team}
        onChanged={() => {
          detail.reload();
          onChanged();
        }}
        onError={setActionError}
      />
      <ThreadBanners conversation={conversation} actionError={actionError} />
      <HandoffSummaryCard conversationId={conversationId} version={version} />
      <ContactPanel contactId={conversation.contactId} version={version} />
      <HandoffDecisions conversationId={conversationId} version={version} />
      <ThreadTimeline messages={current.messages} steps={current.steps} notes={current.notes} />
      <ReplyBox
        conversation={conversation}
        onSent={() => {
          setActionError(null);
          detail.reload();
          onChanged();
        }}
        onError={setActionError}
      />
    </section>
  );
}

function ThreadBackLink() {
  return (
    <a
      className="thread-back"
      href="/"
      onClick={(event) => {
        event.preventDefault();
        navigate('/');
      }}
    >
      ‹ All conversations
    </a>
  );
}
