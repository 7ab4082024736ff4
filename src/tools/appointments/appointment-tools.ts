import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineTool, type AgentTool, type ToolContext } from '../../core/agent-tool.js';
import type { Business } from '../../core/business.js';
import type { Service } from '../../core/catalog.js';
import { notFound } from '../../core/errors.js';
import { formatMoney } from '../../core/money.js';
import { ORDER_LIMITS } from '../orders/order-limits.js';
import { refuse } from '../refuse.js';
import type { AppointmentPayload } from './appointment-payload.js';
import { bookingSummary } from './appointment-payload.js';
import type { AppointmentSettings } from '../../core/appointments.js';
import { availableSlots } from './available-slots.js';
import { describeLocal, localParts, nextDate } from '../../core/zoned-time.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const instant = z.iso
  .datetime({ offset: true })
  .describe('A slot start exactly as find_slots gave it.');

/** The appointment tools, reading each business's booking settings through `settingsFor`. */
export function createAppointmentTools(
  settingsFor: (businessId: string) => AppointmentSettings,
): AgentTool[] {
  async function setting(context: ToolContext) {
    const business = await context.store.businesses.getById(context.scope.businessId);
    if (!business) throw notFound('The business');
    return { business, settings: settingsFor(business.id) };
  }

  async function findService(context: ToolContext, tool: string, name: string): Promise<Service> {
    const wanted = name.trim().toLowerCase();
    const services = await context.store.catalog.listServices(context.scope.businessId);
    const service =
      services.find((entry) => entry.slug === wanted) ??
      services.find((entry) => entry.name.toLowerCase() === wanted) ??
      services.find((entry) => entry.name.toLowerCase().includes(wanted));
    if (!service) {
      return refuse(
        context,
        tool,
        'not_found',
        `There is no service "${name}". Services: ${services.map((entry) => entry.name).join(', ')}.`,
      );
    }
    return service;
  }

  /** The slot starting exactly at `start`, if it is free now; range-checked against the settings. */
  async function freeSlotAt(
    context: ToolContext,
    tool: string,
    business: Business,
    settings: AppointmentSettings,
    service: Service,
    start: Date,
    options: { staff?: string | undefined; ignoreAppointmentId?: string },
  ) {
    const now = context.clock.now();
    const zone = business.profile.timezone;
    const horizon = new Date(now.getTime() + settings.horizonDays * 86_400_000);
    if (Number.isNaN(start.getTime()) || start <= now || start > horizon) {
      return refuse(
        context,
        tool,
        'validation_failed',
        `Bookings are taken from now up to ${settings.horizonDays} days ahead; call find_slots for times.`,
        { start: String(start) },
      );
    }
    const date = localParts(start, zone).date;
    const slots = await availableSlots({
      store: context.store,
      business,
      service,
      settings,
      now,
      fromDate: date,
      toDate: date,
      staffSlug: options.staff,
      ignoreAppointmentId: options.ignoreAppointmentId,
      limit: 200,
    });
    const slot = slots.find((entry) => entry.start.getTime() === start.getTime());
    if (!slot) {
      return refuse(
        context,
        tool,
        'conflict',
        'That time is not free (closed, too soon, or taken). Call find_slots and offer one of its times.',
        { start: start.toISOString() },
      );
    }
    return slot;
  }

  async function propose(
    context: ToolContext,
    kind: 'book_appointment' | 'reschedule_appointment' | 'cancel_appointment',
    payload: AppointmentPayload,
    summary: string,
  ) {
    const { store, scope, clock } = context;
    const action = await store.pendingActions.propose({
      businessId: scope.businessId,
      contactId: scope.contactId,
      conversationId: scope.conversationId,
      kind,
      payload,
      summary,
      expiresAt: new Date(clock.now().getTime() + ORDER_LIMITS.confirmationTtlMs),
    });
    return {
      status: 'awaiting_customer_confirmation',
      confirmationId: action.id,
      appointment: {
        service: payload.serviceName,
        start: payload.startsAt,
        staff: payload.staffName,
      },
      note: 'Parley sends the customer this summary with a Confirm button after your reply. Nothing is booked or changed yet; ask them to confirm.',
    };
  }

  const findSlots = defineTool({
    name: 'find_slots',
    description:
      'Find free appointment times for a service, from a date (the business’s local date) for a number of days. Offer only times it returns.',
    inputSchema: z.strictObject({
      service: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .describe('Service name or slug, e.g. "Basic tune-up".'),
      fromDate: isoDate.optional().describe('First local date to look at; today when left out.'),
      days: z.number().int().min(1).max(14).default(7),
      staff: z.string().trim().min(1).max(60).optional(),
    }),
    async execute(input, context) {
      const { business, settings } = await setting(context);
      const service = await findService(context, 'find_slots', input.service);
      const zone = business.profile.timezone;
      const today = localParts(context.clock.now(), zone).date;
      const fromDate = input.fromDate && input.fromDate > today ? input.fromDate : today;
      let toDate = fromDate;
      for (let day = 1; day < input.days; day++) toDate = nextDate(toDate);
      const slots = await availableSlots({
        store: context.store,
        business,
        service,
        settings,
        now: context.clock.now(),
        fromDate,
        toDate,
        staffSlug: input.staff,
        limit: 12,
      });
      return {
        service: service.name,
        price: formatMoney(service.priceMinor, business.profile.currency),
        durationMinutes: service.durationMinutes,
        timeZone: zone,
        slots: slots.map((slot) => ({
          start: slot.start.toISOString(),
          local: describeLocal(slot.start, zone),
          staff: slot.staff.name,
        })),
        ...(slots.length === 0 ? { note: 'No free times in that range; try later dates.' } : {}),
      };
    },
  });

  const bookAppointment = defineTool({
    name: 'book_appointment',
    description:
      'Ask the customer to confirm a booking at a time find_slots returned. Parley sends them the summary with a Confirm button; it is booked only if they confirm.',
    inputSchema: z.strictObject({
      service: z.string().trim().min(1).max(100),
      start: instant,
      staff: z.string().trim().min(1).max(60).optional(),
    }),
    async execute(input, context) {
      const { business, settings } = await setting(context);
      const service = await findService(context, 'book_appointment', input.service);
      const slot = await freeSlotAt(
        context,
        'book_appointment',
        business,
        settings,
        service,
        new Date(input.start),
        {
          staff: input.staff,
        },
      );
      const payload: AppointmentPayload = {
        serviceSlug: service.slug,
        serviceName: service.name,
        staffSlug: slot.staff.slug,
        staffName: slot.staff.name,
        startsAt: slot.start.toISOString(),
        endsAt: slot.end.toISOString(),
        blockedUntil: slot.blockedUntil.toISOString(),
        priceMinor: service.priceMinor,
      };
      return propose(
        context,
        'book_appointment',
        payload,
        bookingSummary('book', payload, business),
      );
    },
  });

  const rescheduleAppointment = defineTool({
    name: 'reschedule_appointment',
    description:
      'Ask the customer to confirm moving one of their own appointments (id from list_my_appointments) to a new time from find_slots.',
    inputSchema: z.strictObject({ appointmentId: z.uuid(), newStart: instant }),
    async execute(input, context) {
      const { business, settings } = await setting(context);
      const { store, scope } = context;
      const appointment = await store.appointments.getForContact(
        scope.businessId,
        scope.contactId,
        input.appointmentId,
      );
      if (!appointment || appointment.status !== 'booked') {
        return refuse(
          context,
          'reschedule_appointment',
          'not_found',
          'This customer has no such appointment.',
          {
            appointmentId: input.appointmentId,
          },
        );
      }
      const service = await findService(context, 'reschedule_appointment', appointment.serviceSlug);
      const slot = await freeSlotAt(
        context,
        'reschedule_appointment',
        business,
        settings,
        service,
        new Date(input.newStart),
        { staff: appointment.staffSlug, ignoreAppointmentId: appointment.id },
      );
      const payload: AppointmentPayload = {
        appointmentId: appointment.id,
        serviceSlug: appointment.serviceSlug,
        serviceName: appointment.serviceName,
        staffSlug: appointment.staffSlug,
        staffName: appointment.staffName,
        startsAt: slot.start.toISOString(),
        endsAt: slot.end.toISOString(),
        blockedUntil: slot.blockedUntil.toISOString(),
        priceMinor: appointment.priceMinor,
      };
      return propose(
        context,
        'reschedule_appointment',
        payload,
        bookingSummary('reschedule', payload, business, appointment.startsAt.toISOString()),
      );
    },
  });

  const cancelAppointment = defineTool({
    name: 'cancel_appointment',
    description:
      'Ask the customer to confirm cancelling one of their own appointments (id from list_my_appointments).',
    inputSchema: z.strictObject({ appointmentId: z.uuid() }),
    async execute(input, context) {
      const { business } = await setting(context);
      const { store, scope } = context;
      const appointment = await store.appointments.getForContact(
        scope.businessId,
        scope.contactId,
        input.appointmentId,
      );
      if (!appointment || appointment.status !== 'booked') {
        return refuse(
          context,
          'cancel_appointment',
          'not_found',
          'This customer has no such appointment.',
          {
            appointmentId: input.appointmentId,
          },
        );
      }
      const payload: AppointmentPayload = {
        appointmentId: appointment.id,
        serviceSlug: appointment.serviceSlug,
        serviceName: appointment.serviceName,
        staffSlug: appointment.staffSlug,
        staffName: appointment.staffName,
        startsAt: appointment.startsAt.toISOString(),
        endsAt: appointment.endsAt.toISOString(),
        blockedUntil: appointment.blockedUntil.toISOString(),
        priceMinor: appointment.priceMinor,
      };
      return propose(
        context,
        'cancel_appointment',
        payload,
        bookingSummary('cancel', payload, business),
      );
    },
  });

  const listMyAppointments = defineTool({
    name: 'list_my_appointments',
    description:
      "The customer's own upcoming appointments, with their ids for rescheduling or cancelling.",
    inputSchema: z.strictObject({}),
    async execute(_input, context) {
      const { business } = await setting(context);
      const { store, scope, clock } = context;
      const list = await store.appointments.listForContact(
        scope.businessId,
        scope.contactId,
        clock.now(),
      );
      return {
        appointments: list.map((appointment) => ({
          appointmentId: appointment.id,
          service: appointment.serviceName,
          staff: appointment.staffName,
          start: appointment.startsAt.toISOString(),
          local: describeLocal(appointment.startsAt, business.profile.timezone),
          price: formatMoney(appointment.priceMinor, business.profile.currency),
        })),
      };
    },
  });

  return [findSlots, bookAppointment, rescheduleAppointment, cancelAppointment, listMyAppointments];
}

/** A new iCalendar UID for a booking: stable for its life, unique everywhere. */
export function newAppointmentUid(host: string): string {
  return `${randomUUID()}@${host}`;
}
