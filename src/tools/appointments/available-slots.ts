import type { Business } from '../../core/business.js';
import type { Service } from '../../core/catalog.js';
import type { Store } from '../../core/store.js';
import type { AppointmentSettings } from '../../core/appointments.js';
import { localParts, nextDate, weekdayOf, zonedToInstant } from '../../core/zoned-time.js';

export interface Slot {
  start: Date;
  end: Date;
  blockedUntil: Date;
  staff: { slug: string; name: string };
}

/**
 * Free slots for a service between `fromDate` and `toDate` (local dates, inclusive), within
 * opening hours, outside holidays, after the minimum notice and before the horizon. A slot must
 * end by closing time; its buffer after it must not overlap another booking of the same staff
 * member. Earliest first, one entry per time (the first free staff member).
 */
export async function availableSlots(input: {
  store: Store;
  business: Business;
  service: Service;
  settings: AppointmentSettings;
  now: Date;
  fromDate: string;
  toDate: string;
  staffSlug?: string | undefined;
  /** An appointment being moved: its own time does not count as busy. */
  ignoreAppointmentId?: string | undefined;
  limit: number;
}): Promise<Slot[]> {
  const { business, service, settings } = input;
  const zone = business.profile.timezone;
  const earliest = new Date(input.now.getTime() + settings.minimumNoticeMinutes * 60_000);
  const latest = new Date(input.now.getTime() + settings.horizonDays * 86_400_000);
  const staff = settings.staff.filter(
    (member) =>
      (member.services.length === 0 || member.services.includes(service.slug)) &&
      (input.staffSlug === undefined || member.slug === input.staffSlug),
  );
  if (staff.length === 0) return [];
  const rangeStart = zonedToInstant(input.fromDate, 0, zone);
  const rangeEnd = zonedToInstant(nextDate(input.toDate), 0, zone);
  const busy = (await input.store.appointments.listBusy(business.id, rangeStart, rangeEnd)).filter(
    (booking) => booking.id !== input.ignoreAppointmentId,
  );
  const holidays = new Set(settings.holidays);
  const slots: Slot[] = [];
  for (
    let date = input.fromDate;
    date <= input.toDate && slots.length < input.limit;
    date = nextDate(date)
  ) {
    if (holidays.has(date)) continue;
    for (const range of business.profile.openingHours[weekdayOf(date)] ?? []) {
      const open = toMinutes(range.open);
      const close = toMinutes(range.close);
      for (
        let minute = open;
        minute + service.durationMinutes <= close && slots.length < input.limit;
        minute += settings.slotStepMinutes
      ) {
        const start = zonedToInstant(date, minute, zone);
        if (start < earliest || start > latest) continue;
        // A wall time a DST change skips maps elsewhere: skip it rather than offer a wrong time.
        if (localParts(start, zone).minutes !== minute) continue;
        const end = new Date(start.getTime() + service.durationMinutes * 60_000);
        const blockedUntil = new Date(end.getTime() + service.bufferMinutes * 60_000);
        const free = staff.find(
          (member) =>
            !busy.some(
              (booking) =>
                booking.staffSlug === member.slug &&
                booking.startsAt < blockedUntil &&
                booking.blockedUntil > start,
            ),
        );
        if (free)
          slots.push({ start, end, blockedUntil, staff: { slug: free.slug, name: free.name } });
      }
    }
  }
  return slots;
}

function toMinutes(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}
