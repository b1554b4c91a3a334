/**
 * The API application (SPEC 6): `buildApp(deps, config)` returns a ready Fastify instance without
 * listening, so tests inject requests and the client generator reads the OpenAPI document from it.
 *
 * Request path: identify the key (onRequest) → rate limit per key (or per address when unidentified)
 * → enforce key and role (preParsing, before the body is read) → parse within the body limit →
 * validate (TypeBox, no stripping) → handler → every error through one problem-details handler.
 */
import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyRequest } from 'fastify';
import { createAuthenticator } from './auth/authenticate.ts';
import { type ApiConfig, assertSafeBinding } from './config.ts';
import type { ApiDeps } from './deps.ts';
import { answerFor, errorHandler, problem, sendProblem } from './problem.ts';
import { registerApprovalRoutes } from './routes/approvals.ts';
import { registerBulkOperationRoutes } from './routes/bulk-operations.ts';
import { registerConfigRoutes } from './routes/config.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { registerDlqRoutes } from './routes/dlq.ts';
import { registerEventStreamRoutes } from './routes/events-stream.ts';
import { registerJobCommandRoutes } from './routes/job-commands.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerOperationRoutes } from './routes/operations.ts';
import { registerParkedRoutes } from './routes/parked.ts';
import { registerProjectionRoutes } from './routes/projections.ts';
import { registerWorkerRoutes } from './routes/workers.ts';
import { registerWorkflowRunRoutes } from './routes/workflow-runs.ts';
import { registerWorkflowRoutes } from './routes/workflows.ts';
import { parseTraceparent } from './trace.ts';
import type { App } from './types.ts';
import { useJsonBodyParser } from './json-body.ts';
import { useRequestTimeouts } from './request-timeout.ts';
import { validatorCompiler } from './validation.ts';

export type { App };

/**
 * @fastify/swagger marks every request body required; a body that may be absent (EmptyBody: null or
 * {}) is not, so generated clients do not demand one.
 */
function optionalEmptyBodies<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, { requestBody?: RequestBody }>> }).paths ?? {};
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      const body = operation.requestBody;
      const schema = body?.content?.['application/json']?.schema;
      if (body !== undefined && schema?.anyOf?.some((member) => member.type === 'null') === true) body.required = false;
    }
  }
  return document;
}

interface RequestBody {
  required?: boolean;
  content?: Record<string, { schema?: { anyOf?: { type?: unknown }[] } }>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(deps: ApiDeps, config: ApiConfig): Promise<App> {
  assertSafeBinding(config);
  const app = Fastify({
    logger: false,
    bodyLimit: config.bodyLimitBytes,
    // A client's X-Request-Id is kept when it is a plain token (it is echoed in a header and in logs).
    requestIdHeader: false,
    genReqId: (request) => {
      const sent = request.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    return503OnClosing: true,
    // Long enough for every documented id (scope ids are at most 256 characters): longer is 414.
    routerOptions: { maxParamLength: 512 },
    forceCloseConnections: 'idle',
    frameworkErrors: (error, request, reply) => {
      void sendProblem(reply, answerFor(error, request.id));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Bodies are JSON only: anything else is 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  useJsonBodyParser(app);
  app.setErrorHandler(errorHandler(deps.log));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      problem: problem(404, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`),
      headers: {},
    }),
  );
  app.decorateRequest('principal', null);
  app.decorateRequest('traceId', '');
  useRequestTimeouts(app, config.requestTimeoutMs);

  // Every route under /api states who may call it; a forgotten declaration fails at start, not open.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && route.config?.access === undefined) {
      throw new Error(`route ${route.method.toString()} ${route.url} declares no access (config.access)`);
    }
  });

  const auth = createAuthenticator(config);
  const identified = new WeakMap<FastifyRequest, ReturnType<typeof auth.identify>>();
  app.addHook('onRequest', (request, reply, done) => {
    identified.set(request, auth.identify(request));
    // A fresh trace id from Node's batched UUID randomness (a CSPRNG call per request costs more).
    request.traceId = parseTraceparent(request.headers.traceparent)?.traceId ?? randomUUID().replaceAll('-', '');
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(rateLimit, {
    global: true,
    timeWindow: config.rateLimit.windowMs,
    max: async (request: FastifyRequest) => {
      const found = identified.get(request);
      return (found !== undefined && 'principal' in found ? found.principal.rateLimit : null) ?? config.rateLimit.max;
    },
    keyGenerator: (request: FastifyRequest) => {
      const found = identified.get(request);
      return found !== undefined && 'principal' in found && !auth.open
        ? `key:${found.principal.keyId}`
        : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`rate limit exceeded, retry in ${context.after}`), { statusCode: context.statusCode }),
  });

  app.addHook('preParsing', (request, _reply, payload, done) => {
    try {
      const access = request.routeOptions.config.access ?? { role: 'public' };
      request.principal = auth.enforce(identified.get(request) ?? { problem: 'missing' }, access);
      done(null, payload);
    } catch (error) {
      done(error as Error);
    }
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    deps.metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    deps.log.debug(
      {
        request_id: request.id,
        trace_id: request.traceId,
        method: request.method,
        route,
        status: reply.statusCode,
        ms: reply.elapsedTime,
        key: request.principal?.keyId ?? null,
      },
      'request',
    );
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Coretex API',
        version: deps.runtime.version,
        description:
          'The Coretex control plane. Every error is `application/problem+json` (RFC 9457). Every command answer carries `position` (also in `X-Coretex-Position`); lists accept `min_position` to read their own writes.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transformObject: (documents) =>
      'openapiObject' in documents ? optionalEmptyBodies(documents.openapiObject) : documents.swaggerObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  registerOperationRoutes(app, deps);
  registerConfigRoutes(app, deps, config);
  registerProjectionRoutes(app, deps);
  registerEventStreamRoutes(app, deps);
  registerJobRoutes(app, deps, config);
  registerJobCommandRoutes(app, deps);
  registerBulkOperationRoutes(app, deps);
  registerApprovalRoutes(app, deps, config);
  registerDlqRoutes(app, deps, config);
  registerWorkerRoutes(app, deps);
  registerParkedRoutes(app, deps);
  registerWorkflowRoutes(app, deps, config);
  registerWorkflowRunRoutes(app, deps, config);
  registerDashboardRoutes(app);

  // Before the server stops listening and waits for connections: end the open event streams.
  app.addHook('preClose', async () => {
    await deps.liveEvents.stop();
  });

  await app.ready();
  return app;
}
