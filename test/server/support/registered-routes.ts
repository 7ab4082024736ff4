import type { FastifyInstance } from 'fastify';

/**
 * Every route the Fastify app serves, as `METHOD /path` (`:param` syntax), read from Fastify's own
 * route tree (`printRoutes`), so a route registered outside the API registry is seen too.
 */
export function registeredRoutes(app: FastifyInstance): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const url = `${prefixes[depth - 1] ?? ''}${match[2]!}`;
    prefixes[depth] = url;
    prefixes.length = depth + 1;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}
