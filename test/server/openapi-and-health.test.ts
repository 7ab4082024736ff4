import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { request } from './support/http-client.js';
import { registeredRoutes } from './support/registered-routes.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, unknown> };
}

interface OpenApiOperation {
  summary: string;
  parameters?: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string }>;
  security?: unknown[];
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('OpenAPI document and health checks', () => {
  let parley: TestParley;
  let document: OpenApiDocument;

  beforeAll(async () => {
    parley = await startTestParley();
    const response = await request<OpenApiDocument>(parley.baseUrl, '/api/openapi.json');
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(async () => {
    await parley?.stop();
  });

  test('is an OpenAPI 3.1 document in shape', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(Object.keys(document.info).sort()).toEqual(['title', 'version']);
    expect(document.info.title).not.toBe('');
    expect(document.info.version).not.toBe('');
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path.startsWith('/'), path).toBe(true);
      for (const [method, operation] of Object.entries(item)) {
        expect(HTTP_METHODS, `${path} ${method}`).toContain(method);
        expect(typeof operation.summary).toBe('string');
        const statuses = Object.keys(operation.responses);
        expect(statuses.length, `${method} ${path} documents no response`).toBeGreaterThan(0);
        for (const status of statuses) expect(status).toMatch(/^[1-5]\d\d$/);
        for (const response of Object.values(operation.responses)) {
          expect(typeof response.description).toBe('string');
        }
        for (const parameter of operation.parameters ?? []) {
          expect(['path', 'query', 'header', 'cookie']).toContain(parameter.in);
          if (parameter.in === 'path') expect(parameter.required).toBe(true);
        }
        if (operation.requestBody) {
          const types = Object.keys(operation.requestBody.content);
          if (types.includes('multipart/form-data')) {
            // A file upload: each accepted type is a binary body.
            for (const type of types) {
              expect(operation.requestBody.content[type], `${path} ${type}`).toEqual({
                schema: { type: 'string', format: 'binary' },
              });
            }
          } else {
            expect(types).toEqual(['application/json']);
          }
        }
      }
    }
    // Every security requirement names a declared scheme.
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
  });

  test('lists every registered /api route with its method', () => {
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = registeredRoutes(parley.app).filter(
      (route) =>
        route.url.startsWith('/api/') &&
        // HEAD mirrors every GET automatically; the document describes itself by existing.
        route.method !== 'HEAD' &&
        route.url !== '/api/openapi.json',
    );
    expect(served.length).toBeGreaterThan(10);
    const missing = served
      .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z]+)/g, '{$1}')}`)
      .filter((route) => !documented.has(route));
    expect(missing).toEqual([]);

    // The contract's routes, by name: a route dropped from the server must fail here too.
    for (const route of [
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/auth/me',
      'GET /api/conversations',
      'GET /api/conversations/{id}',
      'POST /api/conversations/{id}/take-over',
      'POST /api/conversations/{id}/messages',
      'POST /api/conversations/{id}/hand-back',
      'POST /api/conversations/{id}/resolve',
      'POST /api/conversations/{id}/read',
      'GET /api/events',
      'POST /api/widget/{businessId}/visitors',
      'GET /api/widget/{businessId}/config',
      'GET /api/widget/{businessId}/messages',
      'POST /api/widget/{businessId}/messages',
      'GET /api/widget/{businessId}/stream',
      'GET /healthz',
      'GET /readyz',
    ]) {
      expect(documented, route).toContain(route);
    }
  });

  test('path parameters use {name} syntax and are declared as parameters', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path, path).not.toMatch(/\/:/);
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(item)) {
        const declared = (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => parameter.name);
        expect(declared.sort(), `${method} ${path}`).toEqual([...names].sort());
      }
    }
    const thread = document.paths['/api/conversations/{id}']!.get!;
    expect(thread.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
  });

  test('request bodies carry their zod-derived schema; public routes need no credentials', () => {
    const login = document.paths['/api/auth/login']!.post!;
    const schema = login.requestBody!.content['application/json']!.schema as {
      required: string[];
    };
    expect(schema).toMatchObject({
      type: 'object',
      properties: { email: { type: 'string' }, password: { type: 'string' } },
    });
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(login.security).toEqual([]);
    expect(document.paths['/api/conversations']!.get!.security).toBeUndefined();
  });

  test('/healthz answers 200', async () => {
    const response = await request(parley.baseUrl, '/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  test('/readyz answers 200 with the database check ok', async () => {
    const response = await request<{ status: string; checks: Record<string, string> }>(
      parley.baseUrl,
      '/readyz',
    );
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ready');
    expect(response.body.checks.database).toBe('ok');
  });
});
