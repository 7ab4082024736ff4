import { useEffect, useRef } from 'react';
import type { WireAgentStep, WireMessage } from '../../shared/wire-types.js';
import type { WireNote } from '../api/inbox-api.js';
import { useNow } from '../use-now.js';
import { AgentSteps } from './agent-steps.js';
import { MessageItem } from './message-item.js';
import { NoteItem } from './note-item.js';

type TimelineEntry =
  | { kind: 'message'; at: string; message: WireMessage }
  | { kind: 'turn'; at: string; turnId: string; steps: WireAgentStep[] }
  | { kind: 'note'; at: string; note: WireNote };

/**
 * Messages and agent turns in time order. A turn has no link to the message it produced, so it is
 * placed by its first step's time: just before the reply it led to.
 */
export function ThreadTimeline(props: {
  messages: WireMessage[];
  steps: WireAgentStep[];
  notes?: WireNote[];
}) {
  const now = useNow();
  const entries = timelineOf(props.messages, props.steps, props.notes ?? []);
  const end = useRef<HTMLDivElement>(null);
  const lastKey = entries.at(-1) ? keyOf(entries.at(-1)!) : '';

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lastKey]);

  return (
    <div className="timeline">
      <ol data-testid="thread-timeline" aria-live="polite">
        {entries.map((entry) =>
          entry.kind === 'message' ? (
            <MessageItem key={keyOf(entry)} message={entry.message} now={now} />
          ) : entry.kind === 'note' ? (
            <NoteItem key={keyOf(entry)} note={entry.note} now={now} />
          ) : (
            <AgentSteps key={keyOf(entry)} steps={entry.steps} />
          ),
        )}
      </ol>
      <div ref={end} />
    </div>
  );
}

function keyOf(entry: TimelineEntry): string {
  if (entry.kind === 'note') return `n:${entry.note.id}`;
  return entry.kind === 'message' ? `m:${entry.message.id}` : `t:${entry.turnId}`;
}

function timelineOf(
  messages: WireMessage[],
  steps: WireAgentStep[],
  notes: WireNote[],
): TimelineEntry[] {
  const turns = new Map<string, WireAgentStep[]>();
  for (const step of steps) {
    const turn = turns.get(step.turnId) ?? [];
    turn.push(step);
    turns.set(step.turnId, turn);
  }
  const entries: TimelineEntry[] = messages.map((message) => ({
    kind: 'message',
    at: message.createdAt,
    message,
  }));
  for (const [turnId, turnSteps] of turns) {
    turnSteps.sort((a, b) => a.index - b.index);
    const at = turnSteps.reduce(
      (min, step) => (step.createdAt < min ? step.createdAt : min),
      turnSteps[0]!.createdAt,
    );
    entries.push({ kind: 'turn', at, turnId, steps: turnSteps });
  }
  for (const note of notes) entries.push({ kind: 'note', at: note.createdAt, note });
  // Stable sort: equal times keep messages (by seq, as the server sent them) before turns.
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
