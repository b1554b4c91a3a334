/**
 * How an attempt's end becomes a result report (SPEC 1.8): the handler's value → `SUCCEEDED` with it
 * as the result; a throw → `FAILED` with the error's `code` and `retryable`; an abort → `CANCELLED`
 * (a stop), `TIMEOUT` (a deadline) or a retryable `FAILED` (`worker_draining`). A handler that wants
 * to report another status (`COMPLETED`, `DENIED`, ...) returns `outcome({...})`.
 */

/** Statuses the control plane maps (anything else becomes `unknown_status` there). */
export type ReportStatus = 'SUCCEEDED' | 'COMPLETED' | 'FAILED' | 'TIMEOUT' | 'CANCELLED' | 'DENIED';

export type AbortCause = 'stopped' | 'deadline' | 'draining';

/** The result fields of a report. */
export interface OutcomeFields {
  readonly status: string;
  readonly result?: unknown;
  readonly error_code?: string | null;
  readonly error_message?: string | null;
  readonly retryable?: boolean;
}

const OUTCOME = Symbol.for('coretex.worker.outcome');

export interface JobOutcome extends OutcomeFields {
  readonly [OUTCOME]: true;
}

/** Returned by a handler: report exactly this status and these fields. */
export function outcome(fields: OutcomeFields & { readonly status: ReportStatus | (string & {}) }): JobOutcome {
  return { ...fields, [OUTCOME]: true };
}

function isOutcome(value: unknown): value is JobOutcome {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OUTCOME] === true;
}

/** Thrown by a handler: a failure with a stable code, retryable unless said otherwise. */
export class JobError extends Error {
  override readonly name = 'JobError';
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { readonly retryable?: boolean; readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? true;
  }
}

/** The signal's `reason` when the runtime aborts a handler. */
export class AttemptAbortedError extends Error {
  override readonly name = 'AttemptAbortedError';
  readonly cause_kind: AbortCause;

  constructor(cause: AbortCause, detail: string) {
    super(`attempt aborted (${cause}): ${detail}`);
    this.cause_kind = cause;
  }
}

// The report schema's limits.
const MAX_CODE = 200;
const MAX_MESSAGE = 10_000;

export function fromReturn(value: unknown): OutcomeFields {
  const fields: OutcomeFields = isOutcome(value)
    ? {
        status: value.status,
        ...(value.result === undefined ? {} : { result: value.result }),
        ...(value.error_code === undefined ? {} : { error_code: clip(value.error_code, MAX_CODE) }),
        ...(value.error_message === undefined ? {} : { error_message: clip(value.error_message, MAX_MESSAGE) }),
        ...(value.retryable === undefined ? {} : { retryable: value.retryable }),
      }
    : { status: 'SUCCEEDED', result: value ?? null };
  if (fields.result === undefined) return fields;
  try {
    JSON.stringify(fields.result);
    return fields;
  } catch (error) {
    // A result that cannot cross the wire would fail again on every retry.
    return {
      status: 'FAILED',
      error_code: 'result_not_serializable',
      error_message: clip(errorMessage(error), MAX_MESSAGE),
      retryable: false,
    };
  }
}

export function fromThrow(error: unknown): OutcomeFields {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' && record.code !== '' ? record.code : 'handler_error';
  return {
    status: 'FAILED',
    error_code: clip(code, MAX_CODE),
    error_message: clip(errorMessage(error), MAX_MESSAGE),
    retryable: typeof record.retryable === 'boolean' ? record.retryable : true,
  };
}

export function fromAbort(cause: AbortCause, detail: string): OutcomeFields {
  switch (cause) {
    case 'stopped':
      return { status: 'CANCELLED', error_code: 'cancelled', error_message: clip(detail, MAX_MESSAGE) };
    case 'deadline':
      return { status: 'TIMEOUT', error_code: 'timeout', error_message: clip(detail, MAX_MESSAGE) };
    case 'draining':
      return {
        status: 'FAILED',
        error_code: 'worker_draining',
        error_message: clip(detail, MAX_MESSAGE),
        retryable: true,
      };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clip(text: string | null, max: number): string | null {
  return text === null || text.length <= max ? text : text.slice(0, max);
}
