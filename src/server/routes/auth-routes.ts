import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import type { ApiRegistry } from '../api-route.js';
import { apiBusiness, apiUser, errorSchema, userSchema } from '../api-shapes.js';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import { signIn } from '../auth/sign-in.js';
import type { ServerDependencies } from '../server-dependencies.js';

const signedInSchema = z.object({
  user: userSchema,
  business: z.object({ id: z.uuid(), name: z.string() }).loose(),
});

export function registerAuthRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ServerDependencies,
): void {
  api.register(app, {
    method: 'POST',
    url: '/api/auth/login',
    summary: 'Sign in to the console; sets the session cookie',
    tag: 'auth',
    auth: 'none',
    body: z.object({
      email: z.string().trim().min(3).max(320),
      password: z.string().min(1).max(1024),
    }),
    responses: {
      200: { description: 'Signed in', schema: signedInSchema },
      401: { description: 'Wrong e-mail or password', schema: errorSchema },
      429: { description: 'Too many failed attempts', schema: errorSchema },
    },
    async handler({ body, request, reply }) {
      try {
        const signedIn = await signIn(deps, { ...body, clientAddress: request.ip });
        void reply.setCookie(SESSION_COOKIE, signedIn.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: request.protocol === 'https',
          expires: signedIn.expiresAt,
        });
        return { user: apiUser(signedIn.user), business: apiBusiness(signedIn.business) };
      } catch (error) {
        if ((error as { code?: string }).code === 'rate_limited')
          void reply.header('retry-after', '900');
        throw error;
      }
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/auth/logout',
    summary: 'Sign out: ends the session',
    tag: 'auth',
    auth: 'member',
    responses: { 204: { description: 'Signed out' } },
    async handler({ principal, reply }) {
      if (principal.kind === 'user') await deps.store.sessions.delete(principal.sessionTokenHash);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/auth/me',
    summary: 'The signed-in user and their business',
    tag: 'auth',
    auth: 'member',
    responses: {
      200: { description: 'The current user', schema: signedInSchema },
      401: { description: 'Not signed in', schema: errorSchema },
    },
    async handler({ principal }) {
      const business = await deps.store.businesses.getById(principal.businessId);
      if (!business) throw notFound('Business');
      if (principal.kind !== 'user') return { user: null, business: apiBusiness(business) };
      const user = await deps.store.users.getById(principal.businessId, principal.userId);
      if (!user) throw notFound('User');
      return { user: apiUser(user), business: apiBusiness(business) };
    },
  });
}
