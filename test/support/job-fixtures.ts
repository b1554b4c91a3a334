/**
 * Builders for job commands, safety decisions and histories, with defaults that make the happy path
 * short to write. Times are offsets from T0. Histories are built by deciding commands one by one, so a
 * `given` reads as the story it tells; `then` expectations are written out literally in the specs.
 */
import { DEFAULT_DISPATCH_BACKOFF } from '../../src/domain/job/backoff.ts';
import type {
  ApproveJob,
  ArchiveJob,
  CancelJob,
  CheckTimers,
  JobCommand,
  JobDecision,
  PreemptJob,
  RecordHandOff,
  RecordProgress,
  RecordReport,
  ReevaluateSafety,
  RejectJob,
  ScheduleJob,
  SubmitJob,
  TakeSnapshot,
} from '../../src/domain/job/commands.ts';
import { DEFAULT_APPROVAL_TTL_MS, DEFAULT_WAIT_RECHECK_MS } from '../../src/domain/job/commands.ts';
import { decide } from '../../src/domain/job/decide.ts';
import type { AttemptLimits, JobEvent, SafetyDecision, SafetyVerdict } from '../../src/domain/job/events.ts';
import { evolve, fold } from '../../src/domain/job/evolve.ts';
import type { JobKeys } from '../../src/domain/job/request.ts';
import type { JobState } from '../../src/domain/job/state.ts';
import { NO_JOB } from '../../src/domain/job/state.ts';
import type { JobSubmissionInput } from '../../src/domain/job/submission.ts';
import { DEFAULT_RETRY_POLICY, DEFAULT_SUBMISSION_LIMITS } from '../../src/domain/job/submission.ts';
import { deciderSpec } from './decider-spec.ts';

export const T0 = 1_700_000_000_000;
export const TENANT = 'acme';
export const JOB_ID = 'job-1';
export const TRACE = 'trace-1';
export const POLICY = 'rules-v1';
export const HASH = 'hash-1';

export const jobSpec = deciderSpec<JobState, JobEvent, JobCommand, JobDecision>({
  initialState: NO_JOB,
  evolve,
  decide,
});

export function safety(decision: SafetyVerdict, over: Partial<SafetyDecision> = {}): SafetyDecision {
  return {
    decision,
    reason: null,
    source: 'builtin',
    policy_version: POLICY,
    constraints: null,
    retry_after_ms: null,
    ...over,
  };
}

export const ALLOW = safety('ALLOW');

export const CONFIG_LIMITS: AttemptLimits = { dispatch_ms: 60_000, running_ms: 900_000, max_attempts: 10 };

/** The keys of the default job, submitted at `createdAt`. */
export function keysOf(over: Partial<JobKeys> = {}): JobKeys {
  return {
    job_id: JOB_ID,
    topic: 'job.default',
    team: null,
    trace_id: TRACE,
    workflow_id: null,
    run_id: null,
    priority: 'batch',
    created_at: T0,
    ...over,
  };
}

export function submit(input: JobSubmissionInput = {}, over: Partial<SubmitJob> = {}): SubmitJob {
  return {
    type: 'SubmitJob',
    tenant: TENANT,
    job_id: JOB_ID,
    id_source: 'client',
    input,
    now: T0,
    fresh_trace_id: TRACE,
    defaults: DEFAULT_RETRY_POLICY,
    limits: DEFAULT_SUBMISSION_LIMITS,
    ...over,
  };
}

/** Retries with no jitter and round numbers, so expected times are easy to read. */
export const RETRY_3 = { max_attempts: 3, initial_backoff_ms: 1_000, max_backoff_ms: 10_000, multiplier: 2, jitter: 0 };

export function schedule(over: Partial<ScheduleJob> = {}): ScheduleJob {
  return {
    type: 'ScheduleJob',
    now: T0,
    safety: { kind: 'decided', decision: ALLOW },
    placement: { kind: 'worker', worker_id: 'w1', pool: 'default' },
    limits: CONFIG_LIMITS,
    token: 'tok-1',
    request_hash: HASH,
    approval_ttl_ms: DEFAULT_APPROVAL_TTL_MS,
    wait_recheck_ms: DEFAULT_WAIT_RECHECK_MS,
    ...over,
  };
}

export function handOff(reply: RecordHandOff['reply'], over: Partial<RecordHandOff> = {}): RecordHandOff {
  return {
    type: 'RecordHandOff',
    attempt: 1,
    token: 'tok-1',
    reply,
    now: T0 + 5,
    backoff: { ...DEFAULT_DISPATCH_BACKOFF, jitter: 0 },
    jitter: 0,
    ...over,
  };
}

export function accepted(workerId = 'w1', startedAt: number | null = null, over: Partial<RecordHandOff> = {}) {
  return handOff({ kind: 'accepted', worker_id: workerId, started_at: startedAt }, over);
}

export function report(over: Partial<RecordReport> = {}): RecordReport {
  return {
    type: 'RecordReport',
    kind: 'result',
    worker_id: 'w1',
    token: 'tok-1',
    attempt: 1,
    status: 'SUCCEEDED',
    result: { ok: true },
    result_ptr: null,
    error_code: null,
    error_message: null,
    retryable: null,
    execution_ms: 7,
    now: T0 + 10,
    jitter: 0,
    ...over,
  };
}

export function started(over: Partial<RecordReport> = {}): RecordReport {
  return report({ kind: 'started', status: null, result: null, execution_ms: null, now: T0 + 6, ...over });
}

export function failed(over: Partial<RecordReport> = {}): RecordReport {
  return report({ status: 'FAILED', result: null, error_code: 'boom', error_message: 'it broke', ...over });
}

export function progress(over: Partial<RecordProgress> = {}): RecordProgress {
  return {
    type: 'RecordProgress',
    worker_id: 'w1',
    token: 'tok-1',
    attempt: 1,
    progress: { pct: 50 },
    now: T0,
    ...over,
  };
}

export function timers(now: number, jitter = 0): CheckTimers {
  return { type: 'CheckTimers', now, jitter };
}

export function cancel(over: Partial<CancelJob> = {}): CancelJob {
  return { type: 'CancelJob', by: 'api:key-1', reason: 'no longer needed', now: T0 + 20, ...over };
}

export function approve(over: Partial<ApproveJob> = {}): ApproveJob {
  return {
    type: 'ApproveJob',
    by: 'alice',
    reason: 'looks fine',
    request_hash: HASH,
    current_policy_version: POLICY,
    now: T0 + 100,
    ...over,
  };
}

export function reject(over: Partial<RejectJob> = {}): RejectJob {
  return { ...approve(), type: 'RejectJob', reason: 'too risky', ...over };
}

export function reevaluate(decision: SafetyDecision, over: Partial<ReevaluateSafety> = {}): ReevaluateSafety {
  return { type: 'ReevaluateSafety', decision, request_hash: 'hash-2', now: T0 + 50, ...over };
}

export function preempt(over: Partial<PreemptJob> = {}): PreemptJob {
  return {
    type: 'PreemptJob',
    job_id: 'run-1.build.1',
    workflow_id: 'wf-1',
    run_id: 'run-1',
    topic: null,
    team: null,
    trace_id: TRACE,
    reason: 'run cancelled',
    now: T0,
    ...over,
  };
}

export function takeSnapshot(now = T0 + 30): TakeSnapshot {
  return { type: 'TakeSnapshot', now };
}

export function archive(ref = 'archive/job-1', now = T0 + 1_000): ArchiveJob {
  return { type: 'ArchiveJob', archive_ref: ref, now };
}

/**
 * The events of deciding `commands` in order from no job. Each must yield exactly one event: a history
 * that silently skipped a step would make the spec that uses it say something else than it reads.
 */
export function historyOf(...commands: JobCommand[]): JobEvent[] {
  const events: JobEvent[] = [];
  let state: JobState = NO_JOB;
  for (const command of commands) {
    const result = decide(command, state);
    if (result instanceof Error) throw new Error(`${command.type} failed while building a history: ${result.message}`);
    const [event] = result.events;
    if (event === undefined) throw new Error(`${command.type} yielded no event (${result.ignored}) in a history`);
    events.push(event);
    state = evolve(state, event);
  }
  return events;
}

export function stateAfter(...commands: JobCommand[]): JobState {
  return fold(historyOf(...commands));
}

/** Common histories. */
export const submitted = () => historyOf(submit());
export const scheduled = (input: JobSubmissionInput = {}) => historyOf(submit(input), schedule());
export const dispatched = (input: JobSubmissionInput = {}) => historyOf(submit(input), schedule(), accepted());
export const running = (input: JobSubmissionInput = {}) => historyOf(submit(input), schedule(), accepted('w1', T0 + 4));
