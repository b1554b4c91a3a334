/**
 * What workers say about an attempt (SPEC 1.6, 1.8): the hand-off reply, `started`, results, progress.
 * Only the holder's reports for the current attempt with the current token count. A report can arrive
 * before its hand-off is recorded, so SCHEDULED accepts them too. Anything else changes nothing, and a
 * worker that should not be running the attempt is told to stop.
 */
import { NotFoundError } from '../shared/errors.ts';
import type { JobDecision, JobDecisionResult, RecordHandOff, RecordProgress, RecordReport } from './commands.ts';
import { capByDeadline, emit, hasAttemptsLeft, ignore, retryTime, stopWorker, transition } from './decision.ts';
import type { JobErrorInfo } from './events.ts';
import type { InFlightJob, JobState } from './state.ts';
import { isInFlight, isTerminalState } from './state.ts';

/** The state when `workerId` may report on (attempt, token), else the decision that ignores it. */
function admit(state: JobState, attempt: number, token: string, workerId: string): InFlightJob | JobDecision {
  const stop = stopWorker(workerId, attempt);
  if (state.status === 'NONE') return ignore('unknown_job', stop);
  if (isTerminalState(state)) return ignore('terminal', stop);
  if (!isInFlight(state)) return ignore('no_attempt_in_flight', stop);
  if (attempt !== state.attempt) return ignore('stale_attempt', stop);
  const handedTo = state.status === 'SCHEDULED' ? targetWorker(state) : state.worker_id;
  if (token !== state.token) {
    // A stop names only (job, attempt): sent to the worker this very attempt is handed to, it would
    // also cancel the current hand-off. The stale token alone is reason enough to ignore the report.
    return ignore('wrong_token', workerId === handedTo ? null : stop);
  }
  // A direct hand-off's holder is the chosen worker; a topic-queue hand-off's is whoever reports first.
  if (handedTo !== null && workerId !== handedTo) return ignore('not_holder', stop);
  return state;
}

function targetWorker(state: InFlightJob): string | null {
  return state.target.kind === 'worker' ? state.target.worker_id : null;
}

function isDecision(value: InFlightJob | JobDecision): value is JobDecision {
  return 'events' in value;
}

export function decideHandOff(command: RecordHandOff, state: JobState): JobDecisionResult {
  const { reply, now } = command;
  if (reply.kind === 'accepted') {
    const admitted = admit(state, command.attempt, command.token, reply.worker_id);
    if (isDecision(admitted)) return admitted;
    // Asked again for an attempt it already holds, a worker answers accept: harmless.
    if (admitted.status !== 'SCHEDULED') return ignore('already_accepted');
    const runningDeadlineAt = reply.started_at === null ? null : now + admitted.limits.running_ms;
    return emit({
      type: 'JobDispatched',
      data: {
        ...transition(
          admitted,
          runningDeadlineAt === null ? 'DISPATCHED' : 'RUNNING',
          runningDeadlineAt ?? admitted.dispatch_deadline_at,
        ),
        attempt: admitted.attempt,
        worker_id: reply.worker_id,
        started_at: reply.started_at,
        running_deadline_at: runningDeadlineAt,
      },
    });
  }
  if (state.status === 'NONE') return new NotFoundError('no such job', 'job_not_found');
  if (isTerminalState(state)) return ignore('terminal');
  if (state.status !== 'SCHEDULED' || state.attempt !== command.attempt || state.token !== command.token) {
    return ignore('stale_hand_off');
  }
  // Refused or nobody listening: back to PENDING after a backoff; the attempt is not consumed.
  const failures = state.dispatch_failures + 1;
  const retryAt = retryTime(command.backoff, failures, now, command.jitter);
  return emit({
    type: 'JobDispatchFailed',
    data: {
      ...transition(state, 'PENDING', retryAt),
      attempt: state.attempt,
      reason: reply.kind,
      worker_id: reply.kind === 'refused' ? reply.worker_id : null,
      retry_at: retryAt,
      failures,
    },
  });
}

export function decideReport(command: RecordReport, state: JobState): JobDecisionResult {
  const admitted = admit(state, command.attempt, command.token, command.worker_id);
  if (isDecision(admitted)) return admitted;
  const { now } = command;
  if (command.kind === 'started') {
    if (admitted.status === 'RUNNING') return ignore('duplicate');
    const runningDeadlineAt = now + admitted.limits.running_ms;
    return emit({
      type: 'JobStarted',
      data: {
        ...transition(admitted, 'RUNNING', runningDeadlineAt),
        attempt: admitted.attempt,
        worker_id: command.worker_id,
        started_at: now,
        running_deadline_at: runningDeadlineAt,
      },
    });
  }
  const reported = command.status ?? '';
  const failure = classifyResult(reported, command);
  if (failure === null) {
    return emit({
      type: 'JobSucceeded',
      data: {
        ...transition(admitted, 'SUCCEEDED', null),
        attempt: admitted.attempt,
        worker_id: command.worker_id,
        result: command.result === undefined ? null : command.result,
        result_ptr: command.result_ptr,
        execution_ms: command.execution_ms,
        reported_status: reported,
      },
    });
  }
  const retryable = command.retryable ?? true;
  const retryAt =
    retryable && hasAttemptsLeft(admitted)
      ? retryTime(admitted.request.retry, admitted.attempt, now, command.jitter)
      : null;
  return emit({
    type: 'JobAttemptFailed',
    data: {
      ...transition(admitted, retryAt === null ? 'FAILED' : 'PENDING', retryAt),
      attempt: admitted.attempt,
      worker_id: command.worker_id,
      error: failure,
      retryable,
      reported_status: reported,
      execution_ms: command.execution_ms,
      outcome: retryAt === null ? { final: 'FAILED' } : { retry_at: retryAt },
    },
  });
}

const WORKER_ABANDONED = new Set(['TIMEOUT', 'CANCELLED', 'DENIED']);

/**
 * SPEC 1.8: null for a success, else the attempt's error. A worker's own TIMEOUT, CANCELLED or DENIED
 * is a failed attempt (Coretex did not cancel it: a cancelled job is terminal and its reports ignored),
 * so a draining worker never silently loses work. Statuses are matched without regard to case.
 */
export function classifyResult(
  status: string,
  report: Pick<RecordReport, 'error_code' | 'error_message'>,
): JobErrorInfo | null {
  const normalised = status.toUpperCase();
  if (normalised === 'SUCCEEDED' || normalised === 'COMPLETED') return null;
  if (normalised === 'FAILED') {
    return { code: report.error_code ?? 'failed', message: report.error_message ?? 'the worker reported FAILED' };
  }
  if (WORKER_ABANDONED.has(normalised)) {
    return {
      code: `worker_${normalised.toLowerCase()}`,
      message: report.error_message ?? `the worker reported ${normalised}`,
    };
  }
  return { code: 'unknown_status', message: `the worker reported an unknown status: ${status.slice(0, 64)}` };
}

export function decideProgress(command: RecordProgress, state: JobState): JobDecisionResult {
  const admitted = admit(state, command.attempt, command.token, command.worker_id);
  if (isDecision(admitted)) return admitted;
  if (admitted.status !== 'RUNNING') return ignore('not_running');
  const { now } = command;
  const runningMs = admitted.limits.running_ms;
  // Past its deadline the attempt is the reconciler's to time out; progress cannot revive it.
  if (now >= admitted.running_deadline_at) return ignore('running_deadline_passed');
  const lastExtendedAt = admitted.running_deadline_at - runningMs;
  if (now - lastExtendedAt < runningMs / 4) return ignore('progress_too_soon');
  const runningDeadlineAt = now + runningMs;
  return emit({
    type: 'JobProgressed',
    data: {
      ...transition(admitted, 'RUNNING', capByDeadline(runningDeadlineAt, admitted.deadline_at)),
      attempt: admitted.attempt,
      worker_id: command.worker_id,
      progress: command.progress === undefined ? null : command.progress,
      running_deadline_at: runningDeadlineAt,
    },
  });
}
