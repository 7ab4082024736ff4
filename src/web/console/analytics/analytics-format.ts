/** "45 s", "3 min", "1 h 20 min", "2 d 4 h": a duration an owner reads at a glance. */
export function humanDuration(seconds: number | null): string {
  if (seconds === null) return 'No data yet';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const CHANNEL_LABELS: Record<string, string> = {
  web: 'Web chat',
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
  messenger: 'Messenger',
};

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

const CAUSE_LABELS: Record<string, string> = {
  personRequest: 'Asked for a person',
  frustration: 'Frustration',
  cartValue: 'Large cart',
  topics: 'Sensitive topic',
  noProgress: 'No progress',
  complexity: 'Too complex',
  flaggedContact: 'Flagged contact',
  keywords: 'Keyword',
  outsideHours: 'Outside hours',
  takeOver: 'A person took over',
  other: 'Other',
};

export function causeLabel(cause: string): string {
  return CAUSE_LABELS[cause] ?? cause;
}

/** "12 Mar" for a `YYYY-MM-DD` day, read as a calendar day (no time zone shift). */
export function shortDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day)).toLocaleDateString([], {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;
}
