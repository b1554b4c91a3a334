/**
 * The error taxonomy (ARCHITECTURE.md section 8). Each has a literal `name` for narrowing, a stable
 * `code` for clients, and an optional `cause`. The API maps them to problem details in one place.
 * Deciders return them as values; adapters and handlers throw them.
 */

export type ErrorName =
  'ValidationError' | 'NotFoundError' | 'ConflictError' | 'ConcurrencyError' | 'ForbiddenError' | 'UnavailableError';

interface ErrorDetails {
  readonly cause?: unknown;
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError' as const;
  readonly code: string;
  /** The offending field, as a JSON path into the request (`retry.max_attempts`, `labels`). */
  readonly field: string;
  constructor(field: string, message: string, code = 'invalid_field', details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.field = field;
    this.code = code;
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError' as const;
  readonly code: string;
  constructor(message: string, code = 'not_found', details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
  }
}

/** The request is well-formed but the resource's state does not allow it (409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError' as const;
  readonly code: string;
  constructor(message: string, code = 'conflict', details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
  }
}

/** An append found the aggregate at another position than expected: reload and decide again. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError' as const;
  readonly code = 'concurrency_conflict';
  readonly streamId: string;
  readonly expectedPosition: number;
  constructor(streamId: string, expectedPosition: number, details: ErrorDetails = {}) {
    super(
      `stream ${streamId} is not at position ${expectedPosition}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.streamId = streamId;
    this.expectedPosition = expectedPosition;
  }
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError' as const;
  readonly code: string;
  constructor(message: string, code = 'forbidden', details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
  }
}

/** A dependency is down or not caught up yet; the caller may retry later (503 + Retry-After). */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError' as const;
  readonly code: string;
  readonly retryAfterMs: number;
  constructor(message: string, code = 'unavailable', retryAfterMs = 1000, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export type CoretexError =
  ValidationError | NotFoundError | ConflictError | ConcurrencyError | ForbiddenError | UnavailableError;

const names: ReadonlySet<string> = new Set<ErrorName>([
  'ValidationError',
  'NotFoundError',
  'ConflictError',
  'ConcurrencyError',
  'ForbiddenError',
  'UnavailableError',
]);

export function isCoretexError(value: unknown): value is CoretexError {
  return value instanceof Error && names.has(value.name);
}
