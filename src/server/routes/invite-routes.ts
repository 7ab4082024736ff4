import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import type { ApiRegistry } from '../api-route.js';
import { errorSchema } from '../api-shapes.js';
import type { ServerDependencies } from '../server-dependencies.js';

/**
 * `GET /api/invites/<UID>.ics`: an appointment's current calendar invite, for the link in its
 * confirmation. The UID's random part (a v4 UUID) is the credential: whoever has the confirmation
 * has the invite, nobody can list or guess others.
 */
export function registerInviteRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  api.register(app, {
    method: 'GET',
    url: '/api/invites/:file',
    summary: "An appointment's calendar invite (iCalendar), linked from its confirmation",
    tag: 'appointments',
    auth: 'none',
    params: z.object({
      file: z
        .string()
        .regex(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[a-z0-9.-]{1,253}\.ics$/i,
          'must be the invite file named in the confirmation (<UID>.ics)',
        ),
    }),
    responses: {
      200: { description: 'The invite, as text/calendar' },
      404: { description: 'No such invite', schema: errorSchema },
    },
    async handler({ params, reply }) {
      const invite = await deps.store.appointments.getInviteByUid(params.file.slice(0, -4));
      if (!invite) throw notFound('The invite');
      return reply
        .header('cache-control', 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="appointment-${invite.sequence}.ics"`)
        .type('text/calendar; charset=utf-8')
        .send(invite.ics);
    },
  });
}
