/**
 * Every error is answered here, as `application/problem+json` (RFC 9457): `type`, `title`, `status`,
 * `detail`, `code`, and `field` for validation errors. The error taxonomy maps to statuses in one
 * place; Fastify's own errors (validation, body too large, bad media type, timeouts, rate limit) are
 * translated too. A 5xx never carries internals: the detail is generic and names the request id, under
 * which the real error is logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../app/ports.ts';
import { isCoretexError } from '../domain/shared/errors.ts';
import { describeValidationError } from './validation.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly field?: string;
  readonly request_id?: string;
}

interface Answer {
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, extra: { field?: string } = {}): Problem {
  return {
    type: `urn:coretex:problem:${code}`,
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    detail,
    code,
    ...(extra.field === undefined ? {} : { field: extra.field }),
  };
}

/** Fastify's error codes that are the client's doing, with the code clients see. */
const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_BAD_URL: 'invalid_url',
  FST_ERR_ASYNC_CONSTRAINT: 'invalid_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

export function answerFor(error: unknown, requestId: string): Answer {
  if (isCoretexError(error)) {
    switch (error.name) {
      case 'ValidationError':
        // A field over its size limit (a job's payload) is 413, as a body over the body limit is.
        return plain(
          problem(error.code === 'payload_too_large' ? 413 : 400, error.code, error.message, { field: error.field }),
        );
      case 'NotFoundError':
        return plain(problem(404, error.code, error.message));
      case 'ConflictError':
        // An If-Match that no longer holds is 412, every other state conflict 409.
        return plain(
          problem(
            error.code === 'precondition_failed' || error.code === 'version_mismatch' ? 412 : 409,
            error.code,
            error.message,
          ),
        );
      case 'ConcurrencyError':
        return plain(problem(409, error.code, 'the resource kept changing while this request was applied; retry'));
      case 'ForbiddenError':
        return plain(problem(403, error.code, error.message));
      case 'UnavailableError':
        return {
          problem: problem(503, error.code, error.message),
          headers: { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) },
        };
    }
  }
  const fastify = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (Array.isArray(fastify.validation)) {
    const { field, message } = describeValidationError(fastify.validation, fastify.validationContext ?? 'body');
    return plain(problem(400, 'invalid_request', message, { field }));
  }
  const status = typeof fastify.statusCode === 'number' ? fastify.statusCode : 500;
  if (status === 401) return plain(problem(401, 'unauthorized', fastify.message ?? 'an API key is required'));
  if (status === 429) {
    return plain(problem(429, 'rate_limited', fastify.message ?? 'too many requests'));
  }
  if (status >= 400 && status < 500) {
    const code = (fastify.code !== undefined ? FASTIFY_CODES[fastify.code] : undefined) ?? 'bad_request';
    // Body-parser messages are about the request (bad JSON, bad length), never about our internals.
    return plain(problem(status, code, fastify.message ?? 'the request is invalid'));
  }
  const internal = problem(
    status === 503 ? 503 : 500,
    status === 503 ? 'unavailable' : 'internal',
    `an internal error occurred; quote request id ${requestId}`,
  );
  return { problem: { ...internal, request_id: requestId }, headers: status === 503 ? { 'retry-after': '1' } : {} };
}

function plain(p: Problem): Answer {
  return { problem: p, headers: {} };
}

export function sendProblem(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.problem.status);
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  return reply.type(PROBLEM_CONTENT_TYPE).send(answer.problem);
}

/** The one error handler. 5xx are logged with the request id; 4xx are the client's business. */
export function errorHandler(log: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const answer = answerFor(error, request.id);
    if (answer.problem.status >= 500) {
      log.error(
        { request_id: request.id, trace_id: request.traceId, method: request.method, url: request.url, err: error },
        'request failed with a server error',
      );
    }
    return sendProblem(reply, answer);
  };
}
