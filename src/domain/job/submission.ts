/**
 * Validation and normalisation of a job submission (SPEC 1.1) into the `JobRequest` kept in
 * `JobSubmitted`. Input fields are `unknown`: the same rules hold whether the request came over REST,
 * the bus, a workflow or a DLQ retry. Times are already epoch milliseconds. Each error names its field.
 */
import { ValidationError } from '../shared/errors.ts';
import { CLIENT_ID_PATTERN, isTenant, parseStepJobId, ULID_PATTERN } from '../shared/ids.ts';
import type { JobRequest, JobTimeouts, Priority, RetryPolicy, StepRef } from './request.ts';
import { PRIORITIES } from './request.ts';

/** The fields a submission may carry, not yet checked. */
export interface JobSubmissionInput {
  readonly topic?: unknown;
  readonly payload?: unknown;
  readonly priority?: unknown;
  readonly team?: unknown;
  readonly principal?: unknown;
  readonly labels?: unknown;
  readonly requires?: unknown;
  readonly capability?: unknown;
  readonly risk_tags?: unknown;
  readonly idempotency_key?: unknown;
  readonly trace_id?: unknown;
  readonly run_at?: unknown;
  readonly deadline_ms?: unknown;
  readonly retry?: unknown;
  readonly timeouts?: unknown;
  readonly step?: unknown;
  readonly retry_of?: unknown;
  readonly env?: unknown;
}

/**
 * Where the job id came from. Client ids never contain a `.`; ids Coretex derives (DLQ retries, bus
 * submissions, step jobs) always do, so a client can never take one first.
 */
export type IdSource = 'client' | 'generated' | 'derived';

export interface SubmissionLimits {
  readonly max_payload_bytes: number;
  readonly max_labels: number;
  readonly max_label_key_length: number;
  readonly max_label_value_length: number;
  /** Entries in `requires`, `risk_tags`, and `env`. */
  readonly max_list_entries: number;
  /** team, principal, capability, idempotency key, trace id, list entries. */
  readonly max_text_length: number;
  readonly max_attempts: number;
  readonly max_backoff_ms: number;
  readonly max_timeout_ms: number;
  readonly max_deadline_ms: number;
  /** How far ahead `run_at` may be. */
  readonly max_run_at_ahead_ms: number;
}

const DAY_MS = 86_400_000;

export const DEFAULT_SUBMISSION_LIMITS: SubmissionLimits = {
  max_payload_bytes: 256 * 1024,
  max_labels: 50,
  max_label_key_length: 128,
  max_label_value_length: 512,
  max_list_entries: 64,
  max_text_length: 256,
  max_attempts: 100,
  max_backoff_ms: DAY_MS,
  max_timeout_ms: 7 * DAY_MS,
  max_deadline_ms: 30 * DAY_MS,
  max_run_at_ahead_ms: 366 * DAY_MS,
};

/** SPEC 1.1: one attempt unless the request or config asks for more. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  max_attempts: 1,
  initial_backoff_ms: 1_000,
  max_backoff_ms: 60_000,
  multiplier: 2,
  jitter: 0.2,
};

export const DEFAULT_TOPIC = 'job.default';
const TOPIC_PATTERN = /^job(\.[a-z0-9_-]+)+$/;
const MAX_TOPIC_LENGTH = 255;
const MAX_DERIVED_ID_LENGTH = 255;
const DERIVED_SEGMENT = /^[A-Za-z0-9_-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface SubmissionContext {
  readonly tenant: string;
  readonly job_id: string;
  readonly id_source: IdSource;
  readonly now: number;
  readonly fresh_trace_id: string;
  readonly defaults: RetryPolicy;
  readonly limits: SubmissionLimits;
}

/** The normalised request, or the first rule it breaks. */
export function validateSubmission(
  input: JobSubmissionInput,
  context: SubmissionContext,
): JobRequest | ValidationError {
  try {
    return buildRequest(input, context);
  } catch (error) {
    // Only the `reject` below throws; anything else is a bug and should surface as one.
    if (error instanceof ValidationError) return error;
    throw error;
  }
}

function buildRequest(input: JobSubmissionInput, ctx: SubmissionContext): JobRequest {
  const { limits } = ctx;
  if (!isTenant(ctx.tenant)) reject('tenant', 'tenant must match ^[A-Za-z0-9_-]{1,64}$');
  checkJobId(ctx.job_id, ctx.id_source);
  const step = readStep(input.step, ctx.job_id, ctx.id_source);
  const run_at = readRunAt(input.run_at, ctx.now, limits);
  const retry_of = optionalText('retry_of', input.retry_of, MAX_DERIVED_ID_LENGTH);
  if (retry_of !== null && ctx.id_source !== 'derived') {
    reject('retry_of', 'retry_of is set by Coretex on DLQ retries only', 'not_allowed');
  }
  return {
    job_id: ctx.job_id,
    tenant: ctx.tenant,
    topic: readTopic(input.topic),
    payload: readPayload(input.payload, limits),
    priority: readPriority(input.priority),
    team: optionalText('team', input.team, limits.max_text_length),
    principal: optionalText('principal', input.principal, limits.max_text_length),
    labels: readLabels(input.labels, limits),
    requires: readTextList('requires', input.requires, limits),
    capability: optionalText('capability', input.capability, limits.max_text_length),
    risk_tags: readTextList('risk_tags', input.risk_tags, limits),
    idempotency_key: optionalText('idempotency_key', input.idempotency_key, limits.max_text_length),
    trace_id: optionalText('trace_id', input.trace_id, limits.max_text_length) ?? ctx.fresh_trace_id,
    run_at,
    deadline_ms: optionalDuration('deadline_ms', input.deadline_ms, limits.max_deadline_ms),
    retry: readRetry(input.retry, ctx.defaults, limits),
    timeouts: readTimeouts(input.timeouts, limits),
    step,
    retry_of,
    env: readEnv(input.env, limits),
  };
}

function reject(field: string, message: string, code = 'invalid_field'): never {
  throw new ValidationError(field, message, code);
}

function checkJobId(jobId: string, source: IdSource): void {
  switch (source) {
    case 'client':
      if (!CLIENT_ID_PATTERN.test(jobId)) reject('job_id', 'job_id must match ^[A-Za-z0-9_-]{1,64}$');
      return;
    case 'generated':
      if (!ULID_PATTERN.test(jobId)) reject('job_id', 'a generated job_id must be a ULID');
      return;
    case 'derived': {
      const segments = jobId.split('.');
      const wellFormed = segments.length >= 2 && segments.every((segment) => DERIVED_SEGMENT.test(segment));
      if (!wellFormed || jobId.length > MAX_DERIVED_ID_LENGTH) {
        reject('job_id', 'a derived job_id is dot-separated segments of [A-Za-z0-9_-]');
      }
      return;
    }
    default: {
      const unknownSource: never = source;
      reject('job_id', `unknown id source ${String(unknownSource)}`);
    }
  }
}

function readTopic(value: unknown): string {
  if (value === undefined || value === null) return DEFAULT_TOPIC;
  if (typeof value !== 'string' || value.length > MAX_TOPIC_LENGTH || !TOPIC_PATTERN.test(value)) {
    return reject('topic', 'topic must be job.<name>[.<name>...] with names of [a-z0-9_-]');
  }
  return value;
}

const utf8 = new TextEncoder();

function readPayload(value: unknown, limits: SubmissionLimits): unknown {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return reject('payload', 'payload must be JSON');
  }
  if (text === undefined) return reject('payload', 'payload must be JSON');
  const bytes = utf8.encode(text).length;
  if (bytes > limits.max_payload_bytes) {
    reject('payload', `payload is ${bytes} bytes; the limit is ${limits.max_payload_bytes}`, 'payload_too_large');
  }
  return value;
}

function readPriority(value: unknown): Priority {
  if (value === undefined || value === null) return 'batch';
  if (typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value)) return value as Priority;
  return reject('priority', `priority must be one of ${PRIORITIES.join(', ')}`);
}

function optionalText(field: string, value: unknown, maxLength: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    return reject(field, `${field} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readLabels(value: unknown, limits: SubmissionLimits): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) return reject('labels', 'labels must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > limits.max_labels) {
    reject('labels', `at most ${limits.max_labels} labels`, 'too_many_labels');
  }
  const labels: Record<string, string> = {};
  for (const [key, label] of entries) {
    if (key.length === 0 || key.length > limits.max_label_key_length) {
      reject('labels', `label keys are 1 to ${limits.max_label_key_length} characters`);
    }
    if (typeof label !== 'string' || label.length > limits.max_label_value_length) {
      reject(`labels.${key}`, `label values are strings of at most ${limits.max_label_value_length} characters`);
    }
    labels[key] = label;
  }
  return labels;
}

function readTextList(field: string, value: unknown, limits: SubmissionLimits): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return reject(field, `${field} must be an array of strings`);
  if (value.length > limits.max_list_entries) reject(field, `${field} has at most ${limits.max_list_entries} entries`);
  for (const entry of value) {
    if (typeof entry !== 'string' || entry.length === 0 || entry.length > limits.max_text_length) {
      reject(field, `${field} entries are non-empty strings of at most ${limits.max_text_length} characters`);
    }
  }
  return [...(value as string[])];
}

function readEnv(value: unknown, limits: SubmissionLimits): Readonly<Record<string, string>> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) return reject('env', 'env must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > limits.max_list_entries) reject('env', `env has at most ${limits.max_list_entries} entries`);
  const env: Record<string, string> = {};
  for (const [name, text] of entries) {
    if (!ENV_NAME.test(name) || name.length > limits.max_text_length) reject('env', `invalid variable name ${name}`);
    if (typeof text !== 'string' || text.length > limits.max_label_value_length) {
      reject(`env.${name}`, `env values are strings of at most ${limits.max_label_value_length} characters`);
    }
    env[name] = text;
  }
  return env;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function readRunAt(value: unknown, now: number, limits: SubmissionLimits): number | null {
  if (value === undefined || value === null) return null;
  if (!isInteger(value) || value < 0) return reject('run_at', 'run_at must be a time in epoch milliseconds');
  if (value > now + limits.max_run_at_ahead_ms) {
    reject('run_at', `run_at is at most ${limits.max_run_at_ahead_ms} ms ahead`, 'out_of_range');
  }
  return value;
}

/** A positive whole number of milliseconds, bounded. */
function optionalDuration(field: string, value: unknown, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (!isInteger(value) || value <= 0 || value > max) {
    return reject(field, `${field} must be a whole number of milliseconds from 1 to ${max}`, 'out_of_range');
  }
  return value;
}

function readTimeouts(value: unknown, limits: SubmissionLimits): JobTimeouts {
  if (value === undefined || value === null) return { dispatch_ms: null, running_ms: null };
  if (!isPlainObject(value)) return reject('timeouts', 'timeouts must be an object');
  return {
    dispatch_ms: optionalDuration('timeouts.dispatch_ms', value.dispatch_ms, limits.max_timeout_ms),
    running_ms: optionalDuration('timeouts.running_ms', value.running_ms, limits.max_timeout_ms),
  };
}

/** The request's retry fields over the configured defaults, then checked as a whole. */
function readRetry(value: unknown, defaults: RetryPolicy, limits: SubmissionLimits): RetryPolicy {
  if (value !== undefined && value !== null && !isPlainObject(value)) return reject('retry', 'retry must be an object');
  const given = isPlainObject(value) ? value : {};
  const pick = (name: keyof RetryPolicy): unknown => (given[name] === undefined ? defaults[name] : given[name]);
  const max_attempts = pick('max_attempts');
  if (!isInteger(max_attempts) || max_attempts < 1 || max_attempts > limits.max_attempts) {
    reject(
      'retry.max_attempts',
      `max_attempts must be a whole number from 1 to ${limits.max_attempts}`,
      'out_of_range',
    );
  }
  const initial = pick('initial_backoff_ms');
  if (!isInteger(initial) || initial < 0 || initial > limits.max_backoff_ms) {
    reject('retry.initial_backoff_ms', `initial_backoff_ms must be 0 to ${limits.max_backoff_ms}`, 'out_of_range');
  }
  const max = pick('max_backoff_ms');
  if (!isInteger(max) || max < 0 || max > limits.max_backoff_ms) {
    reject('retry.max_backoff_ms', `max_backoff_ms must be 0 to ${limits.max_backoff_ms}`, 'out_of_range');
  }
  if (max < initial)
    reject('retry.max_backoff_ms', 'max_backoff_ms must be at least initial_backoff_ms', 'out_of_range');
  const multiplier = pick('multiplier');
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1 || multiplier > 100) {
    reject('retry.multiplier', 'multiplier must be a number from 1 to 100', 'out_of_range');
  }
  const jitter = pick('jitter');
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    reject('retry.jitter', 'jitter must be a number from 0 to 1', 'out_of_range');
  }
  return { max_attempts, initial_backoff_ms: initial, max_backoff_ms: max, multiplier, jitter };
}

/**
 * A step reference must agree with the job id: step job ids name their run and step, and only step jobs
 * carry one, so the job's kind (ad hoc or step) can never be ambiguous.
 */
function readStep(value: unknown, jobId: string, source: IdSource): StepRef | null {
  const parsed = source === 'derived' ? parseStepJobId(jobId) : null;
  if (value === undefined || value === null) {
    if (parsed !== null) reject('step', 'a workflow step job id needs its step reference', 'required');
    return null;
  }
  if (parsed === null) return reject('step', 'only workflow step jobs carry a step reference', 'not_allowed');
  if (!isPlainObject(value)) return reject('step', 'step must be an object');
  const text = (name: string): string => {
    const field = value[name];
    if (typeof field !== 'string' || field.length === 0 || field.length > 256) reject(`step.${name}`, 'required');
    return field;
  };
  const workflow_id = text('workflow_id');
  const run_id = text('run_id');
  const step_id = text('step_id');
  if (run_id !== parsed.runId || step_id !== parsed.stepId) {
    reject('step', `step reference does not match job id ${jobId}`, 'mismatch');
  }
  const index = value.foreach_index;
  if (index !== undefined && index !== null && (!isInteger(index) || index < 0)) {
    reject('step.foreach_index', 'foreach_index must be a whole number');
  }
  const foreach_index = isInteger(index) ? index : null;
  if (foreach_index !== parsed.index)
    reject('step.foreach_index', 'foreach_index does not match the job id', 'mismatch');
  return { workflow_id, run_id, step_id, foreach_index, foreach_item: value.foreach_item ?? null };
}
