import { useCallback, useEffect, useState } from 'react';
import { inboxApi, type InboxFilters } from '../api/inbox-api.js';
import { useCoalescedLoader } from '../use-coalesced-loader.js';
import { useLiveEvents, type ConsoleEvent } from '../use-live-events.js';
import { ConversationList } from './conversation-list.js';
import { ThreadView } from './thread-view.js';

const TEAM_REFRESH_MS = 30_000;

const ALL: InboxFilters = { view: 'all', search: '', channel: null, tag: null, state: null };

/** The inbox: the conversation list beside the selected thread, both kept live by /api/events. */
export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const [filters, setFilters] = useState<InboxFilters>(ALL);
  const list = useCoalescedLoader(`list:${JSON.stringify(filters)}`, () =>
    inboxApi.listConversations(filters),
  );
  const tags = useCoalescedLoader('tags', () =>
    inboxApi.listTags().then((body) => body.tags.map((entry) => entry.tag)),
  );
  // Who is online changes without an event; the team list is refreshed now and then.
  const team = useCoalescedLoader('team', () => inboxApi.team());
  const reloadTeam = team.reload;
  useEffect(() => {
    const timer = setInterval(reloadTeam, TEAM_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadTeam]);
  // Bumped to make the open thread reload when an event concerns it.
  const [threadVersion, setThreadVersion] = useState(0);

  const reloadList = list.reload;
  const reloadTags = tags.reload;
  const onEvent = useCallback(
    (event: ConsoleEvent) => {
      reloadList();
      // Another member may have added a tag: the tag filter offers it at once.
      if (event.type === 'conversation-updated') reloadTags();
      if (event.conversationId === conversationId) setThreadVersion((version) => version + 1);
    },
    [reloadList, reloadTags, conversationId],
  );
  const onResync = useCallback(() => {
    reloadList();
    reloadTags();
    setThreadVersion((version) => version + 1);
  }, [reloadList, reloadTags]);
  useLiveEvents({ onEvent, onResync });

  const onChanged = useCallback(() => {
    reloadList();
    reloadTags();
  }, [reloadList, reloadTags]);

  return (
    <main className={`inbox ${conversationId ? 'has-selection' : ''}`}>
      <ConversationList
        conversations={list.value?.conversations ?? null}
        counts={list.value?.counts ?? null}
        error={list.error}
        filters={filters}
        onFiltersChange={setFilters}
        tags={tags.value ?? []}
        team={team.value}
        selectedId={conversationId}
      />
      {conversationId ? (
        <ThreadView
          key={conversationId}
          conversationId={conversationId}
          version={threadVersion}
          team={team.value}
          onChanged={onChanged}
        />
      ) : (
        <section className="thread-empty">
          <p>Select a conversation to read it.</p>
        </section>
      )}
    </main>
  );
}
