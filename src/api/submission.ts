/**
 * From a `POST /api/v1/jobs` request to the submission the use case takes (SPEC 1.3): `run_at` as
 * RFC 3339 becomes epoch milliseconds here, at the edge; the `Idempotency-Key` header and the body's
 * `idempotency_key` must agree; a W3C `traceparent` becomes the job's `trace_id` (when the body names
 * none) and its `env.traceparent` (when the body's env has none).
 */
import type { StartedRuntime } from '../app/jobs/create-runtime.ts';
import type { JobSubmissionInput } from '../domain/job/submission.ts';
import { DEFAULT_SUBMISSION_LIMITS, validateSubmission } from '../domain/job/submission.ts';
import { ValidationError } from '../domain/shared/errors.ts';
import type { Traceparent } from './trace.ts';

/** `2026-05-01T12:00:00Z`, `2026-05-01T12:00:00.250+02:00` (RFC 3339 `date-time`). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseRunAt(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = RFC3339.exec(value);
  const ms = match === null ? Number.NaN : Date.parse(value.toUpperCase());
  // Date.parse rolls over impossible dates (Feb 30): the calendar date must read back the same.
  if (match === null || !Number.isFinite(ms) || !sameCalendarDay(match, ms)) {
    throw new ValidationError(
      'run_at',
      'run_at must be an RFC 3339 date-time (2026-05-01T12:00:00Z) or epoch milliseconds',
      'invalid_time',
    );
  }
  return ms;
}

function sameCalendarDay(match: RegExpExecArray, ms: number): boolean {
  const [, year, month, day, hour, minute, second, , zone] = match;
  const offset = zone === undefined || /z/i.test(zone) ? 0 : offsetMinutes(zone);
  const local = new Date(ms + offset * 60_000);
  return (
    local.getUTCFullYear() === Number(year) &&
    local.getUTCMonth() + 1 === Number(month) &&
    local.getUTCDate() === Number(day) &&
    local.getUTCHours() === Number(hour) &&
    local.getUTCMinutes() === Number(minute) &&
    local.getUTCSeconds() === Number(second)
  );
}

function offsetMinutes(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = zone.slice(1).split(':').map(Number);
  return sign * ((hours ?? 0) * 60 + (minutes ?? 0));
}

export interface SubmitRequest {
  readonly body: Readonly<Record<string, unknown>> & {
    readonly run_at?: number | string;
    readonly trace_id?: string;
    readonly idempotency_key?: string;
    readonly env?: Readonly<Record<string, string>>;
  };
  readonly idempotencyHeader: string | undefined;
  readonly traceparent: Traceparent | null;
}

export interface EdgeSubmission {
  readonly input: JobSubmissionInput & { readonly job_id?: unknown };
  readonly idempotency_key: string | null;
  /** The body as the client sent it: what its idempotency key is bound to. */
  readonly fingerprint: unknown;
}

export function edgeSubmission(request: SubmitRequest): EdgeSubmission {
  const { body, idempotencyHeader, traceparent } = request;
  if (
    idempotencyHeader !== undefined &&
    body.idempotency_key !== undefined &&
    body.idempotency_key !== idempotencyHeader
  ) {
    throw new ValidationError(
      'Idempotency-Key',
      'the Idempotency-Key header and the body’s idempotency_key differ; send one, or the same in both',
      'idempotency_key_mismatch',
    );
  }
  const input: Record<string, unknown> = { ...body };
  if (body.run_at !== undefined) input.run_at = parseRunAt(body.run_at);
  if (traceparent !== null) {
    if (body.trace_id === undefined) input.trace_id = traceparent.traceId;
    if (body.env?.traceparent === undefined) input.env = { ...body.env, traceparent: traceparent.header };
  }
  return { input, idempotency_key: idempotencyHeader ?? body.idempotency_key ?? null, fingerprint: body };
}

/**
 * The submission checked as the use case will check it, before it claims the idempotency key: the
 * use case claims first, so a request it then refuses would leave the key claimed for a job that does
 * not exist, and the corrected request would be 409 for a day. Checked only when there is a key.
 */
export async function precheckSubmission(
  rt: StartedRuntime,
  tenant: string,
  submission: EdgeSubmission,
): Promise<void> {
  if (submission.idempotency_key === null) return;
  const { input } = submission;
  const team = typeof input.team === 'string' && input.team.length > 0 ? input.team : null;
  const config = await rt.config.resolve({ org_id: tenant, team_id: team, workflow_id: null, step_id: null });
  const now = rt.clock.now();
  const clientId = typeof input.job_id === 'string' ? input.job_id : null;
  const checked = validateSubmission(
    { ...input, idempotency_key: submission.idempotency_key },
    {
      tenant,
      job_id: clientId ?? rt.entropy.ulid(now),
      id_source: clientId === null ? 'generated' : 'client',
      now,
      fresh_trace_id: 'precheck',
      defaults: config.settings.retry,
      limits: DEFAULT_SUBMISSION_LIMITS,
    },
  );
  if (checked instanceof ValidationError) throw checked;
}
