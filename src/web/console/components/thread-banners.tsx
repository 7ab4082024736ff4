import type { WireConversation } from '../../shared/wire-types.js';

/** What the owner must not miss: a failed model call, a hand-off and its reason, a refused action. */
export function ThreadBanners(props: {
  conversation: WireConversation;
  actionError: string | null;
}) {
  const { lastFailure, handoffReason, state } = props.conversation;
  return (
    <>
      {lastFailure && (
        <div className="banner danger" role="alert" data-testid="failure-banner">
          <strong>The model failed: {lastFailure.message}</strong>
          <span className="banner-detail">
            {lastFailure.code} · {new Date(lastFailure.at).toLocaleString()}
          </span>
        </div>
      )}
      {handoffReason && (
        <div
          className={`banner ${state === 'waiting_for_person' ? 'warning' : 'info'}`}
          data-testid="handoff-banner"
        >
          <strong>
            {state === 'waiting_for_person' ? 'Waiting for you' : 'Handed to a person'}:
          </strong>{' '}
          {handoffReason}
        </div>
      )}
      {props.actionError && (
        <div className="banner danger" role="alert" data-testid="action-error">
          {props.actionError}
        </div>
      )}
    </>
  );
}
