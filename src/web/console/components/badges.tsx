import type { ChannelKind, ConversationState } from '../../shared/wire-types.js';
import { CHANNEL_LABELS, stateLabel } from '../format.js';

/** Which app the customer writes from. */
export function ChannelBadge({ channel }: { channel: ChannelKind }) {
  return (
    <span className={`badge channel channel-${channel}`} data-testid="channel-badge">
      {CHANNEL_LABELS[channel]}
    </span>
  );
}

/** Who holds the conversation; "Waiting for you" stands out because someone is waiting. */
export function StateBadge(props: { state: ConversationState; heldByViewer: boolean }) {
  return (
    <span
      className={`badge state state-${props.state}`}
      data-testid="state-badge"
      data-state={props.state}
    >
      {stateLabel(props.state, props.heldByViewer)}
    </span>
  );
}
