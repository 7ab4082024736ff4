import { useState } from 'react';
import { ApiError } from '../api/api-error.js';
import { consoleApi } from '../api/console-api.js';
import type { WireConversation } from '../../shared/wire-types.js';

interface ThreadActionsProps {
  conversation: WireConversation;
  onApplied: (conversation: WireConversation) => void;
  onError: (message: string | null) => void;
}

type Action = 'take-over' | 'hand-back' | 'resolve';

/** Take over, hand back and resolve: each offered only when the conversation's state allows it. */
export function ThreadActions({ conversation, onApplied, onError }: ThreadActionsProps) {
  const [busy, setBusy] = useState<Action | null>(null);
  const { id, state } = conversation;

  const run = async (action: Action) => {
    setBusy(action);
    onError(null);
    try {
      const call =
        action === 'take-over'
          ? consoleApi.takeOver
          : action === 'hand-back'
            ? consoleApi.handBack
            : consoleApi.resolve;
      onApplied((await call(id)).conversation);
    } catch (failure) {
      onError(failure instanceof ApiError ? failure.message : 'That did not work. Try again.');
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="thread-actions">
      {(state === 'agent' || state === 'waiting_for_person') && (
        <button
          type="button"
          className="button primary"
          data-testid="take-over"
          disabled={busy !== null}
          onClick={() => void run('take-over')}
        >
          {busy === 'take-over' ? 'Taking over…' : 'Take over'}
        </button>
      )}
      {state === 'person' && (
        <button
          type="button"
          className="button"
          data-testid="hand-back"
          disabled={busy !== null}
          onClick={() => void run('hand-back')}
        >
          Hand back to agent
        </button>
      )}
      {state !== 'resolved' && (
        <button
          type="button"
          className="button subtle"
          data-testid="resolve"
          disabled={busy !== null}
          onClick={() => void run('resolve')}
        >
          Resolve
        </button>
      )}
    </div>
  );
}
