import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../core/errors.js';
import type { Principal } from './auth/principal.js';

export type RouteAuth = 'none' | 'member' | 'owner';

export interface RouteContext<Body, Query, Params> {
  request: FastifyRequest;
  reply: FastifyReply;
  body: Body;
  query: Query;
  params: Params;
  /** Set on routes that require a signed-in member or an API key. */
  principal: Principal;
}

export interface ApiRouteSpec<Body = unknown, Query = unknown, Params = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  body?: z.ZodType<Body>;
  query?: z.ZodType<Query>;
  params?: z.ZodType<Params>;
  /** A file sent as the raw body (or multipart): its types, size limit and the 413 message. */
  upload?: { contentTypes: readonly string[]; maxBytes: number; tooLarge: string };
  /** Documented responses (status → description and optional schema). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler(context: RouteContext<Body, Query, Params>): Promise<unknown>;
}

/**
 * Routes declared once, with zod schemas that both validate the request and describe it in the
 * OpenAPI document. Handlers stay thin: parse, authorise, call a use-case.
 */
export class ApiRegistry {
  readonly #routes: ApiRouteSpec[] = [];

  constructor(
    private readonly authenticate: (
      request: FastifyRequest,
      auth: RouteAuth,
    ) => Promise<Principal | null>,
  ) {}

  register<Body, Query, Params>(
    app: FastifyInstance,
    spec: ApiRouteSpec<Body, Query, Params>,
  ): void {
    this.#routes.push(spec);
    const upload = spec.upload;
    app.route({
      method: spec.method,
      url: spec.url,
      ...(upload
        ? {
            bodyLimit: upload.maxBytes,
            // Refused before a byte is read when the client says how big the file is.
            onRequest: (
              request: FastifyRequest,
              _reply: FastifyReply,
              done: (error?: Error) => void,
            ) => {
              const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
              const known = type === 'multipart/form-data' || upload.contentTypes.includes(type);
              if (!known) {
                done(
                  new ParleyError(
                    'unsupported_media_type',
                    `Parley cannot read ${type ? `"${type}"` : 'a body without a Content-Type'} here. Send ${upload.contentTypes.join(', ')} as the body, or the file in multipart/form-data.`,
                  ),
                );
                return;
              }
              const tooLarge = Number(request.headers['content-length'] ?? 0) > upload.maxBytes;
              done(tooLarge ? new ParleyError('payload_too_large', upload.tooLarge) : undefined);
            },
          }
        : {}),
      handler: async (request, reply) => {
        const principal = await this.authenticate(request, spec.auth);
        const context = {
          request,
          reply,
          principal: principal as Principal,
          body: parseInput(spec.body, request.body, 'body'),
          query: parseInput(spec.query, request.query, 'query'),
          params: parseInput(spec.params, request.params, 'path'),
        };
        return spec.handler(context);
      },
    });
  }

  /** The OpenAPI 3.1 document for every registered route. */
  openApiDocument(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.#routes) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const parameters = [
        ...schemaParameters(route.params, 'path'),
        ...schemaParameters(route.query, 'query'),
      ];
      const operation: Record<string, unknown> = {
        summary: route.summary,
        tags: [route.tag],
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(route.body) } },
              },
            }
          : {}),
        ...(route.upload
          ? {
              requestBody: {
                required: true,
                content: Object.fromEntries(
                  [...route.upload.contentTypes, 'multipart/form-data'].map((type) => [
                    type,
                    { schema: { type: 'string', format: 'binary' } },
                  ]),
                ),
              },
            }
          : {}),
        ...(route.auth === 'none' ? { security: [] } : {}),
        responses: Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...(response.schema
                ? { content: { 'application/json': { schema: jsonSchema(response.schema) } } }
                : {}),
            },
          ]),
        ),
      };
      paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
    }
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'parley_session' },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key created in the console (pk_…).',
          },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    };
  }
}

function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ParleyError(
    'validation_failed',
    `The request is not valid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}.`,
    { issues },
  );
}

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function schemaParameters(schema: z.ZodType | undefined, location: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
