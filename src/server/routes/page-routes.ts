import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ServerDependencies } from '../server-dependencies.js';
import { renderDemoPage } from './demo-page.js';

const MISSING_BUILD = `<!doctype html><title>Parley</title><body style="font-family:system-ui;max-width:40rem;margin:4rem auto">
<h1>The console is not built yet</h1><p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p></body>`;

/** The console (a single-page app), the widget script and the demo storefront. */
export async function registerPageRoutes(
  app: FastifyInstance,
  deps: ServerDependencies,
): Promise<void> {
  const consoleRoot = join(deps.webRoot, 'console');
  const widgetFile = join(deps.webRoot, 'widget.js');

  app.get('/widget.js', async (_request, reply) => {
    if (!existsSync(widgetFile))
      return reply.code(404).type('text/plain').send('// widget not built: run npm run build:web');
    return reply
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .sendFile('widget.js', deps.webRoot);
  });

  app.get('/demo', async (_request, reply) => {
    const business = await deps.store.businesses.getById(deps.primaryBusinessId);
    const products = business
      ? await deps.store.catalog.listProducts(business.id, { limit: 8 })
      : [];
    return reply.type('text/html; charset=utf-8').send(renderDemoPage(business, products));
  });

  if (existsSync(consoleRoot)) {
    await app.register(fastifyStatic, {
      root: consoleRoot,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  }
  // Client-side routes of the console (/login, /conversations/:id) get the app's index.html.
  app.setNotFoundHandler(async (request, reply) => {
    const isPage =
      request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.includes('.');
    if (!isPage) {
      return reply.code(404).send({
        error: {
          code: 'not_found',
          message: `There is nothing at ${request.method} ${request.url.split('?')[0]}.`,
        },
      });
    }
    if (!existsSync(join(consoleRoot, 'index.html')))
      return reply.code(503).type('text/html').send(MISSING_BUILD);
    return reply.type('text/html; charset=utf-8').sendFile('index.html', consoleRoot);
  });
}
