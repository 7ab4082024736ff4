import type { ChannelKind } from '../../core/channel.js';

/**
 * Something the owner must fix on the provider's side (an expired token, a paused template, a
 * restricted account). The composition root logs it and records it where the owner looks.
 */
export interface ChannelAlerts {
  alert(input: { businessId: string; channel: ChannelKind; code: string; message: string }): void;
}
