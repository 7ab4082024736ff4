import { useCallback, useState } from 'react';
import { consoleApi } from '../api/console-api.js';
import type { ConversationState } from '../../shared/wire-types.js';
import { useCoalescedLoader } from '../use-coalesced-loader.js';
import { useLiveEvents, type ConsoleEvent } from '../use-live-events.js';
import { ConversationList } from './conversation-list.js';
import { ThreadView } from './thread-view.js';

/** The inbox: the conversation list beside the selected thread, both kept live by /api/events. */
export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const [filter, setFilter] = useState<ConversationState | null>(null);
  const list = useCoalescedLoader(`list:${filter ?? 'all'}`, () =>
    consoleApi.listConversations(filter).then((body) => body.conversations),
  );
  // Bumped to make the open thread reload when an event concerns it.
  const [threadVersion, setThreadVersion] = useState(0);

  const reloadList = list.reload;
  const onEvent = useCallback(
    (event: ConsoleEvent) => {
      reloadList();
      if (event.conversationId === conversationId) setThreadVersion((version) => version + 1);
    },
    [reloadList, conversationId],
  );
  const onResync = useCallback(() => {
    reloadList();
    setThreadVersion((version) => version + 1);
  }, [reloadList]);
  useLiveEvents({ onEvent, onResync });

  return (
    <main className={`inbox ${conversationId ? 'has-selection' : ''}`}>
      <ConversationList
        conversations={list.value}
        error={list.error}
        filter={filter}
        onFilterChange={setFilter}
        selectedId={conversationId}
      />
      {conversationId ? (
        <ThreadView
          key={conversationId}
          conversationId={conversationId}
          version={threadVersion}
          onChanged={reloadList}
        />
      ) : (
        <section className="thread-empty">
          <p>Select a conversation to read it.</p>
        </section>
      )}
    </main>
  );
}
