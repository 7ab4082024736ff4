import type { Logger } from 'pino';
import type { AppointmentSettings } from '../core/appointments.js';
import type { Business } from '../core/business.js';
import type { Clock } from '../core/clock.js';
import type { LiveEvents } from '../core/live-events.js';
import type { Store } from '../core/store.js';
import { queueAppointmentReminders } from '../tools/appointments/queue-appointment-reminders.js';

/** How often due reminders are looked for; a reminder goes at most this late. */
export const REMINDER_POLL_MS = 60_000;

export interface AppointmentReminders {
  stop(): Promise<void>;
}

/**
 * Looks for due appointment reminders once a minute (and at start, so a restart catches up).
 * Safe with several processes: each reminder is claimed once in the database.
 */
export function startAppointmentReminders(deps: {
  store: Store;
  live: LiveEvents;
  clock: Clock;
  logger: Logger;
  business: Business;
  settings: Pick<AppointmentSettings, 'reminderLeadMinutes'> & {
    whatsappReminderTemplate?: boolean;
  };
  pollMs?: number;
}): AppointmentReminders {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => queueAppointmentReminders(deps, deps.business, deps.settings))
      .then((run) => {
        if (run.notSendable > 0)
          deps.logger.warn(run, 'appointment reminders the channel does not allow now');
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, 'appointment reminders failed'));
  };
  tick();
  const timer = setInterval(tick, deps.pollMs ?? REMINDER_POLL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
