/**
 * Identifier rules (SPEC 1.1, 2.1, 2.2). Ids are per tenant. Ids a client may choose never contain a
 * `.`; ids Coretex derives (DLQ retries, bus submissions, workflow step jobs) always do, so no client
 * can take one first. Fresh ids (ULIDs) are generated outside the domain and passed in.
 */

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const STEP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,47}$/;
/** A ULID: 26 characters of Crockford base32, as produced by the id generator. */
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isClientId(id: string): boolean {
  return CLIENT_ID_PATTERN.test(id);
}

export function isTenant(tenant: string): boolean {
  return TENANT_PATTERN.test(tenant);
}

export function isDerivedId(id: string): boolean {
  return id.includes('.');
}

/** `<job_id>.r<n>`: the n-th retry of a DLQ entry (n ≥ 1). */
export function dlqRetryJobId(jobId: string, n: number): string {
  return `${jobId}.r${n}`;
}

/** `bus.<sequence>`: a job submitted on the bus without a client id. */
export function busJobId(sequence: number): string {
  return `bus.${sequence}`;
}

/** `<run_id>.<step_id>.<n>`: the n-th job (attempt) of a workflow step. */
export function stepJobId(runId: string, stepId: string, n: number): string {
  return `${runId}.${stepId}.${n}`;
}

/** `<run_id>.<step_id>.<i>.<n>`: the n-th job of fan-out child i of a workflow step. */
export function childStepJobId(runId: string, stepId: string, index: number, n: number): string {
  return `${runId}.${stepId}.${index}.${n}`;
}

export interface StepJobRef {
  readonly runId: string;
  readonly stepId: string;
  /** Fan-out child index, when the job belongs to a `for_each` child. */
  readonly index: number | null;
  readonly n: number;
}

const DIGITS = /^(0|[1-9][0-9]*)$/;

/**
 * Parses a workflow step job id. Step job ids are the only ids with three or more segments whose last
 * segment is a number; DLQ retries end in `r<n>` and bus ids have two segments, so the rule is exact.
 */
export function parseStepJobId(jobId: string): StepJobRef | null {
  const parts = jobId.split('.');
  if (parts.length !== 3 && parts.length !== 4) return null;
  const [runId, stepId] = parts;
  const last = parts[parts.length - 1];
  if (runId === undefined || stepId === undefined || last === undefined) return null;
  if (!CLIENT_ID_PATTERN.test(runId) || !STEP_ID_PATTERN.test(stepId) || !DIGITS.test(last)) return null;
  if (parts.length === 3) return { runId, stepId, index: null, n: Number(last) };
  const index = parts[2];
  if (index === undefined || !DIGITS.test(index)) return null;
  return { runId, stepId, index: Number(index), n: Number(last) };
}
