import type { ChannelKind, ConversationState, WireContact } from '../shared/wire-types.js';

/** The name the owner knows a contact by; anonymous web visitors get a short stable tag. */
export function contactName(conversation: {
  contactId: string;
  contact: WireContact | null;
}): string {
  const { contact } = conversation;
  const name = contact?.displayName?.trim() || contact?.phone || contact?.email;
  return name || `Visitor ${conversation.contactId.replace(/-/g, '').slice(-4).toUpperCase()}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "now", "5 min", "3 h", "Yesterday", "Mon", "12 Mar": short enough for a list row. */
export function relativeTime(iso: string, now: number): string {
  const then = new Date(iso);
  const elapsed = now - then.getTime();
  if (elapsed < MINUTE) return 'now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min`;
  if (elapsed < 12 * HOUR) return `${Math.floor(elapsed / HOUR)} h`;
  const startOfToday = new Date(now);
  startOfToday.setHours(0, 0, 0, 0);
  if (then.getTime() >= startOfToday.getTime())
    return then.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (then.getTime() >= startOfToday.getTime() - DAY) return 'Yesterday';
  if (elapsed < 6 * DAY) return then.toLocaleDateString([], { weekday: 'short' });
  return then.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

/** A message's time in the thread: the clock time, with the date when it is not today. */
export function messageTime(iso: string, now: number): string {
  const then = new Date(iso);
  const time = then.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (new Date(now).toDateString() === then.toDateString()) return time;
  return `${then.toLocaleDateString([], { day: 'numeric', month: 'short' })}, ${time}`;
}

export const CHANNEL_LABELS: Record<ChannelKind, string> = {
  web: 'Web chat',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
};

/** The state badge's words; `person` reads "You" when the viewer holds the conversation. */
export function stateLabel(state: ConversationState, heldByViewer: boolean): string {
  switch (state) {
    case 'agent':
      return 'Agent';
    case 'waiting_for_person':
      return 'Waiting for you';
    case 'person':
      return heldByViewer ? 'You' : 'Person';
    case 'resolved':
      return 'Resolved';
  }
}
