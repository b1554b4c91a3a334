/**
 * Scheduling a PENDING job (SPEC 1.4, 1.6): the safety decision (once per job, unless THROTTLE), then
 * the placement. Whatever happens is one event: on the happy path `JobScheduled` also records the ALLOW.
 */
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { JobDecisionResult, Placement, ScheduleJob } from './commands.ts';
import { DEFAULT_THROTTLE_RETRY_MS } from './commands.ts';
import { deadlinePassed, emit, ignore, transition } from './decision.ts';
import type { AttemptLimits, SafetyDecision, WaitQueue } from './events.ts';
import type { JobState, LiveCore, PendingJob } from './state.ts';
import { isTerminalState } from './state.ts';

export function decideSchedule(command: ScheduleJob, state: JobState): JobDecisionResult {
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (isTerminalState(state)) return ignore('terminal');
  if (state.status !== 'PENDING') return ignore('not_pending');
  const { now } = command;
  // The reconciler records the timeout; dispatching now would only race it.
  if (deadlinePassed(state, now)) return ignore('deadline_passed');
  // run_at, a retry time, a throttle or a hand-off backoff are respected; a waiting job may go when woken.
  if (state.hold.kind !== 'queue' && now < state.due_at) return ignore('not_due');

  // Checked once per job: a recorded (or approved) decision is used and a new one is not asked for.
  if (state.safety !== null) return place(command, state, state.safety, null);

  const safety = command.safety;
  switch (safety.kind) {
    case 'recorded':
      return new ConflictError('no safety decision is recorded for this job yet', 'safety_not_recorded');
    case 'unavailable': {
      if (safety.on_unavailable === 'deny') {
        return emit({
          type: 'JobDenied',
          data: { ...transition(state, 'DENIED', null), safety: null, reason_code: 'safety_unavailable' },
        });
      }
      // Deferred once: re-checks while the breaker stays open append nothing (no event storm).
      if (state.hold.kind === 'queue' && state.hold.queue === 'deferred') return ignore('still_deferred');
      return emit({
        type: 'JobDeferred',
        data: { ...transition(state, 'PENDING', now + command.wait_recheck_ms), reason: safety.reason },
      });
    }
    case 'decided':
      return decideOnVerdict(command, state, safety.decision);
    default: {
      const unknownSafety: never = safety;
      return unknownSafety;
    }
  }
}

function decideOnVerdict(command: ScheduleJob, state: PendingJob, decision: SafetyDecision): JobDecisionResult {
  const { now } = command;
  switch (decision.decision) {
    case 'ALLOW':
    case 'ALLOW_WITH_CONSTRAINTS':
      return place(command, state, decision, decision);
    case 'DENY':
      return emit({
        type: 'JobDenied',
        data: { ...transition(state, 'DENIED', null), safety: decision, reason_code: 'safety_denied' },
      });
    case 'REQUIRE_APPROVAL': {
      const expiresAt = now + command.approval_ttl_ms;
      return emit({
        type: 'JobApprovalRequired',
        data: {
          ...transition(state, 'APPROVAL_REQUIRED', expiresAt),
          safety: decision,
          request_hash: command.request_hash,
          expires_at: expiresAt,
        },
      });
    }
    case 'THROTTLE':
      return emit({
        type: 'JobThrottled',
        data: { ...transition(state, 'PENDING', throttleRetryAt(decision, now)), safety: decision },
      });
    default: {
      const unknownVerdict: never = decision.decision;
      return unknownVerdict;
    }
  }
}

export function throttleRetryAt(decision: SafetyDecision, now: number): number {
  const after = decision.retry_after_ms;
  return now + (after !== null && after > 0 ? after : DEFAULT_THROTTLE_RETRY_MS);
}

const QUEUE_OF: Record<Extract<Placement, { kind: 'wait' }>['reason'], Exclude<WaitQueue, 'deferred'>> = {
  all_overloaded: 'capacity',
  tenant_limit: 'tenant_limit',
  paused: 'paused',
};

/**
 * Whether a job with a recorded safety decision already waits in the queue this placement would send
 * it to: scheduling it now changes nothing (`still_queued`), so a runtime woken for many such jobs at
 * once can skip the decision (and its staleness check) for each.
 */
export function stillQueued(state: JobState, placement: Placement): boolean {
  return (
    state.status === 'PENDING' &&
    state.safety !== null &&
    placement.kind === 'wait' &&
    state.hold.kind === 'queue' &&
    state.hold.queue === QUEUE_OF[placement.reason]
  );
}

/**
 * Whether a job that finds no capacity may wait for it in the scheduler's memory instead of entering
 * the capacity queue with a `JobQueued` event: only a job that is not in a queue yet, whose safety
 * answer allows dispatch, and that has been due for less than `graceMs`. A burst that the workers
 * absorb within the grace then costs no event per job; a longer wait is recorded as before. (Held in
 * memory, the job stays PENDING and due, so after a crash the reconciler wakes it like any due job.)
 */
export function mayHoldForCapacity(
  state: JobState,
  decision: SafetyDecision | null,
  placement: Placement,
  now: number,
  graceMs: number,
): boolean {
  if (state.status !== 'PENDING' || decision === null) return false;
  // A fresh REQUIRE_APPROVAL must be recorded (the job waits for a person); an approved one is the
  // job's recorded decision and lets it run.
  const allows =
    decision.decision === 'ALLOW' ||
    decision.decision === 'ALLOW_WITH_CONSTRAINTS' ||
    (decision.decision === 'REQUIRE_APPROVAL' && state.safety !== null);
  return (
    allows &&
    state.hold.kind !== 'queue' &&
    placement.kind === 'wait' &&
    placement.reason === 'all_overloaded' &&
    now >= state.due_at &&
    now - state.due_at < graceMs &&
    !deadlinePassed(state, now)
  );
}

/**
 * Acts on the placement under the decision the attempt runs under. `toRecord` is the decision made now
 * (recorded in this event so it is never asked for again), or null when an earlier event recorded it.
 */
function place(
  command: ScheduleJob,
  state: PendingJob,
  under: SafetyDecision,
  toRecord: SafetyDecision | null,
): JobDecisionResult {
  const { now, placement } = command;
  switch (placement.kind) {
    case 'fail':
      return emit({
        type: 'JobRoutingFailed',
        data: {
          ...transition(state, 'FAILED', null),
          safety: toRecord,
          error: { code: 'no_pool_mapping', message: `no pool serves topic ${state.keys.topic}` },
        },
      });
    case 'wait': {
      const queue = QUEUE_OF[placement.reason];
      // Waiting appends no event per re-check: only entering a queue (or recording a decision) does.
      if (toRecord === null && stillQueued(state, placement)) return ignore('still_queued');
      return emit({
        type: 'JobQueued',
        data: { ...transition(state, 'PENDING', now + command.wait_recheck_ms), queue, safety: toRecord },
      });
    }
    case 'worker':
    case 'queue': {
      const limits = resolveLimits(state, command.limits, under);
      const dispatchDeadlineAt = now + limits.dispatch_ms;
      return emit({
        type: 'JobScheduled',
        data: {
          ...transition(state, 'SCHEDULED', dispatchDeadlineAt),
          attempt: state.attempts + 1,
          target:
            placement.kind === 'worker'
              ? { kind: 'worker', worker_id: placement.worker_id, pool: placement.pool }
              : { kind: 'queue', pool: placement.pool },
          token: command.token,
          safety: toRecord,
          limits,
          dispatch_deadline_at: dispatchDeadlineAt,
        },
      });
    }
    default: {
      const unknownPlacement: never = placement;
      return unknownPlacement;
    }
  }
}

/**
 * The limits of the next attempt: the request's own timeouts, else config's; a safety constraint can
 * only make them stricter (SPEC 1.4). `max_attempts` is fixed at the first scheduling (see state.ts).
 */
export function resolveLimits(job: LiveCore, config: AttemptLimits, decision: SafetyDecision): AttemptLimits {
  const constraints = decision.constraints;
  const dispatch_ms = job.request.timeouts.dispatch_ms ?? config.dispatch_ms;
  let running_ms = job.request.timeouts.running_ms ?? config.running_ms;
  if (constraints?.max_runtime_ms !== undefined) running_ms = Math.min(running_ms, constraints.max_runtime_ms);
  let max_attempts = job.max_attempts;
  if (max_attempts === null) {
    max_attempts = Math.min(job.request.retry.max_attempts, config.max_attempts);
    if (constraints?.max_retries !== undefined) max_attempts = Math.min(max_attempts, constraints.max_retries + 1);
  }
  // Whatever config or a kernel says, an attempt is at least a millisecond and a job gets one attempt.
  return {
    dispatch_ms: Math.max(1, dispatch_ms),
    running_ms: Math.max(1, running_ms),
    max_attempts: Math.max(1, Math.floor(max_attempts)),
  };
}
