/**
 * One place that turns a route's description — its role, the errors it can answer, its schemas — into
 * the Fastify route schema (which validates and serialises) and the OpenAPI operation (generated from
 * the same schema): the role as `x-coretex-role` and in the description, and every 4xx listed as a
 * problem-details response, including the ones the framework adds (401/403 from auth, 429 from the rate
 * limit, 400/413/415 from body parsing).
 */
import type { TSchema } from 'typebox';
import type { Access } from './auth/principal.ts';
import { PROBLEM_CONTENT_TYPE } from './problem.ts';
import { ProblemSchema } from './schemas/common.ts';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 414 | 415 | 429 | 503;

const MEANING: Readonly<Record<ErrorStatus, string>> = {
  400: 'Invalid request; `field` names the offending field',
  401: 'No API key, or an unknown one',
  403: 'The key’s role (or tenant scope) does not allow this',
  404: 'Not found (another tenant’s resource is not found either)',
  409: 'The resource’s state does not allow this, or it kept changing',
  412: 'If-Match does not hold: the document is at another revision',
  413: 'The body is larger than the configured limit',
  414: 'A path parameter is longer than the router accepts (512 characters)',
  415: 'The body is not JSON',
  429: 'Rate limited; see Retry-After',
  503: 'Not ready, or the read model is behind; see Retry-After',
};

export interface OperationSpec<
  P extends TSchema | undefined,
  Q extends TSchema | undefined,
  B extends TSchema | undefined,
  H extends TSchema | undefined,
  R extends Record<number, unknown>,
> {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly access: Access;
  /** The errors the handler itself can answer; auth, rate-limit and parsing errors are added here. */
  readonly errors?: readonly ErrorStatus[];
  readonly params?: P;
  readonly querystring?: Q;
  readonly body?: B;
  readonly headers?: H;
  readonly response: R;
  /** Exempt from the rate limit (health probes). */
  readonly unlimited?: boolean;
  /** This route's request timeout, when longer than the installation's (long polls). */
  readonly timeoutMs?: number;
}

export function operation<
  P extends TSchema | undefined,
  Q extends TSchema | undefined,
  B extends TSchema | undefined,
  H extends TSchema | undefined,
  R extends Record<number, unknown>,
>(spec: OperationSpec<P, Q, B, H, R>) {
  const statuses = new Set<ErrorStatus>(spec.errors ?? []);
  if (spec.access.role !== 'public') statuses.add(401);
  if (spec.access.role !== 'public' && (spec.access.role !== 'viewer' || spec.access.global === true)) {
    statuses.add(403);
  }
  if (spec.unlimited !== true) statuses.add(429);
  if (spec.params !== undefined || spec.querystring !== undefined || spec.headers !== undefined) statuses.add(400);
  if (spec.params !== undefined) statuses.add(414);
  if (spec.body !== undefined) {
    statuses.add(400);
    statuses.add(413);
    statuses.add(415);
  }
  const errors = [...statuses].sort((a, b) => a - b);
  const role = spec.access.role === 'public' ? 'none (public)' : spec.access.role;
  const scope = spec.access.role !== 'public' && spec.access.global === true ? ', with a key bound to tenant "*"' : '';
  const description = [
    spec.description ?? spec.summary,
    '',
    `**Required role:** ${role}${scope}.`,
    '',
    `**Errors:** ${errors.map((s) => `${s} (${MEANING[s]})`).join('; ')}.`,
  ].join('\n');
  const problems = Object.fromEntries(
    errors.map((status) => [
      status,
      { description: MEANING[status], content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } },
    ]),
  );
  const schema = {
    operationId: spec.operationId,
    summary: spec.summary,
    description,
    tags: [...spec.tags],
    'x-coretex-role': spec.access.role,
    ...(spec.access.role !== 'public' && spec.access.global === true ? { 'x-coretex-global-key': true } : {}),
    ...(spec.access.role === 'public' ? { security: [] } : {}),
    ...(spec.params === undefined ? {} : { params: spec.params }),
    ...(spec.querystring === undefined ? {} : { querystring: spec.querystring }),
    ...(spec.body === undefined ? {} : { body: spec.body }),
    ...(spec.headers === undefined ? {} : { headers: spec.headers }),
    response: { ...problems, ...spec.response } as R,
  };
  return {
    schema: schema as typeof schema & {
      params: P;
      querystring: Q;
      body: B;
      headers: H;
      response: R;
    },
    config: {
      access: spec.access,
      ...(spec.unlimited === true ? { rateLimit: false as const } : {}),
      ...(spec.timeoutMs === undefined ? {} : { timeoutMs: spec.timeoutMs }),
    },
  };
}
