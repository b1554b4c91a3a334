/** SPEC 1.4, 1.6: the safety decision (once per job), placement, and the limits an attempt runs under. */
import { describe, expect, it } from 'vitest';
import type { JobScheduled } from '../../../../src/domain/job/events.ts';
import { fold } from '../../../../src/domain/job/evolve.ts';
import {
  ALLOW,
  accepted,
  approve,
  CONFIG_LIMITS,
  failed,
  HASH,
  handOff,
  historyOf,
  jobSpec,
  keysOf,
  RETRY_3,
  safety,
  schedule,
  scheduled,
  submit,
  submitted,
  T0,
} from '../../../support/job-fixtures.ts';

const recheck = schedule().wait_recheck_ms;

describe('ScheduleJob: the happy path', () => {
  it('schedules the first attempt on the chosen worker and records the ALLOW in the same event', () => {
    const expected: JobScheduled = {
      type: 'JobScheduled',
      data: {
        keys: keysOf(),
        status_before: 'PENDING',
        status_after: 'SCHEDULED',
        due_at: T0 + 60_000,
        deadline_at: null,
        attempt: 1,
        target: { kind: 'worker', worker_id: 'w1', pool: 'default' },
        token: 'tok-1',
        safety: ALLOW,
        limits: { dispatch_ms: 60_000, running_ms: 900_000, max_attempts: 1 },
        dispatch_deadline_at: T0 + 60_000,
      },
    };
    const { state } = jobSpec.given(submitted()).when(schedule()).then([expected]);
    expect(state).toMatchObject({ status: 'SCHEDULED', attempt: 1, safety: ALLOW, worker_id: 'w1' });
  });

  it('hands the job to a pool’s topic queue when no live worker is known', () => {
    const { state } = jobSpec
      .given(submitted())
      .when(schedule({ placement: { kind: 'queue', pool: 'gpu' } }))
      .then([
        expect.objectContaining({
          type: 'JobScheduled',
          data: expect.objectContaining({ target: { kind: 'queue', pool: 'gpu' } }),
        }),
      ]);
    expect(state).toMatchObject({ status: 'SCHEDULED', worker_id: null });
  });

  it('bounds the dispatch due time by the overall deadline', () => {
    jobSpec
      .given(historyOf(submit({ deadline_ms: 10_000 })))
      .when(schedule())
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ due_at: T0 + 10_000, dispatch_deadline_at: T0 + 60_000 }),
        }),
      ]);
  });
});

describe('ScheduleJob: limits, the stricter of constraint and config', () => {
  const limitsOf = (result: ReturnType<ReturnType<ReturnType<typeof jobSpec.given>['when']>['then']>) =>
    result.state.status === 'SCHEDULED' ? result.state.limits : null;

  it('uses the request’s own timeouts over config', () => {
    const result = jobSpec
      .given(historyOf(submit({ timeouts: { dispatch_ms: 5_000, running_ms: 30_000 } })))
      .when(schedule())
      .then([expect.objectContaining({ type: 'JobScheduled' })]);
    expect(limitsOf(result)).toEqual({ dispatch_ms: 5_000, running_ms: 30_000, max_attempts: 1 });
  });

  it('caps attempts by config', () => {
    const result = jobSpec
      .given(historyOf(submit({ retry: { max_attempts: 5 } })))
      .when(schedule({ limits: { ...CONFIG_LIMITS, max_attempts: 3 } }))
      .then([expect.objectContaining({ type: 'JobScheduled' })]);
    expect(limitsOf(result)?.max_attempts).toBe(3);
  });

  it('applies max runtime and max retries constraints when they are stricter', () => {
    const constrained = safety('ALLOW_WITH_CONSTRAINTS', { constraints: { max_runtime_ms: 60_000, max_retries: 1 } });
    const result = jobSpec
      .given(historyOf(submit({ retry: { max_attempts: 5 } })))
      .when(schedule({ safety: { kind: 'decided', decision: constrained } }))
      .then([expect.objectContaining({ data: expect.objectContaining({ safety: constrained }) })]);
    expect(limitsOf(result)).toEqual({ dispatch_ms: 60_000, running_ms: 60_000, max_attempts: 2 });
  });

  it('keeps config and request when the constraints are looser', () => {
    const loose = safety('ALLOW_WITH_CONSTRAINTS', { constraints: { max_runtime_ms: 10 * 900_000, max_retries: 50 } });
    const result = jobSpec
      .given(historyOf(submit({ retry: { max_attempts: 4 } })))
      .when(schedule({ safety: { kind: 'decided', decision: loose } }))
      .then([expect.objectContaining({ type: 'JobScheduled' })]);
    expect(limitsOf(result)).toEqual({ dispatch_ms: 60_000, running_ms: 900_000, max_attempts: 4 });
  });

  it('keeps the attempt budget fixed at the first scheduling when config changes later', () => {
    const history = historyOf(submit({ retry: RETRY_3 }), schedule(), accepted(), failed({ now: T0 + 100 }));
    const result = jobSpec
      .given(history)
      .when(schedule({ now: T0 + 2_000, token: 'tok-2', limits: { ...CONFIG_LIMITS, max_attempts: 1 } }))
      .then([expect.objectContaining({ data: expect.objectContaining({ attempt: 2 }) })]);
    expect(limitsOf(result)?.max_attempts).toBe(3);
  });
});

describe('ScheduleJob: safety decisions', () => {
  it('denies on DENY: terminal DENIED with no due time', () => {
    const deny = safety('DENY', { reason: 'topic blocked' });
    const { state } = jobSpec
      .given(submitted())
      .when(schedule({ safety: { kind: 'decided', decision: deny } }))
      .then([
        {
          type: 'JobDenied',
          data: {
            keys: keysOf(),
            status_before: 'PENDING',
            status_after: 'DENIED',
            due_at: null,
            deadline_at: null,
            safety: deny,
            reason_code: 'safety_denied',
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'DENIED', error: { code: 'safety_denied', message: 'topic blocked' } });
  });

  it('says the safety policy denied the job when the kernel gives no reason', () => {
    const { state } = jobSpec
      .given(submitted())
      .when(schedule({ safety: { kind: 'decided', decision: safety('DENY') } }))
      .then([expect.objectContaining({ type: 'JobDenied' })]);
    expect(state).toMatchObject({ error: { code: 'safety_denied', message: 'denied by the safety policy' } });
  });

  it('denies fail-closed when the kernel is unavailable and policy says deny', () => {
    jobSpec
      .given(submitted())
      .when(schedule({ safety: { kind: 'unavailable', on_unavailable: 'deny', reason: 'breaker open' } }))
      .then([
        expect.objectContaining({
          type: 'JobDenied',
          data: expect.objectContaining({ safety: null, reason_code: 'safety_unavailable', status_after: 'DENIED' }),
        }),
      ]);
    const state = jobSpec
      .given(submitted())
      .when(schedule({ safety: { kind: 'unavailable', on_unavailable: 'deny', reason: 'breaker open' } }))
      .then([expect.objectContaining({ type: 'JobDenied' })]).state;
    expect(state).toMatchObject({
      status: 'DENIED',
      safety: null,
      error: { code: 'safety_unavailable', message: 'the safety kernel is unavailable' },
    });
  });

  it('defers once while the breaker is not closed, then schedules when a decision comes', () => {
    const unavailable = schedule({ safety: { kind: 'unavailable', on_unavailable: 'defer', reason: 'breaker open' } });
    const deferred = jobSpec
      .given(submitted())
      .when(unavailable)
      .then([
        {
          type: 'JobDeferred',
          data: {
            keys: keysOf(),
            status_before: 'PENDING',
            status_after: 'PENDING',
            due_at: T0 + recheck,
            deadline_at: null,
            reason: 'breaker open',
          },
        },
      ]);
    expect(deferred.state).toMatchObject({ status: 'PENDING', hold: { kind: 'queue', queue: 'deferred' } });
    const history = historyOf(submit(), unavailable);
    // Re-checks while still unavailable record nothing: no event storm during an outage.
    jobSpec
      .given(history)
      .when({ ...unavailable, now: T0 + 1_000 })
      .then({ ignored: 'still_deferred' });
    // Woken before its safety-net time (a wait queue goes when woken), with the kernel back.
    jobSpec
      .given(history)
      .when(schedule({ now: T0 + 1_000 }))
      .then([expect.objectContaining({ type: 'JobScheduled', data: expect.objectContaining({ safety: ALLOW }) })]);
  });

  it('asks for approval bound to the request hash and policy version, due at expiry', () => {
    const needsApproval = safety('REQUIRE_APPROVAL', { reason: 'risk tag pii' });
    const { state } = jobSpec
      .given(submitted())
      .when(schedule({ safety: { kind: 'decided', decision: needsApproval }, approval_ttl_ms: 3_600_000 }))
      .then([
        {
          type: 'JobApprovalRequired',
          data: {
            keys: keysOf(),
            status_before: 'PENDING',
            status_after: 'APPROVAL_REQUIRED',
            due_at: T0 + 3_600_000,
            deadline_at: null,
            safety: needsApproval,
            request_hash: HASH,
            expires_at: T0 + 3_600_000,
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'APPROVAL_REQUIRED', approval_request: { request_hash: HASH } });
  });

  it('throttles without recording the decision: it is asked again at the retry time', () => {
    const throttle = safety('THROTTLE', { retry_after_ms: 2_000 });
    const throttled = historyOf(submit(), schedule({ safety: { kind: 'decided', decision: throttle } }));
    expect(throttled[1]).toEqual({
      type: 'JobThrottled',
      data: {
        keys: keysOf(),
        status_before: 'PENDING',
        status_after: 'PENDING',
        due_at: T0 + 2_000,
        deadline_at: null,
        safety: throttle,
      },
    });
    expect(fold(throttled)).toMatchObject({ status: 'PENDING', hold: { kind: 'throttled' }, safety: null });
    jobSpec
      .given(throttled)
      .when(schedule({ now: T0 + 1_999 }))
      .then({ ignored: 'not_due' });
    // The scheduler cannot skip the kernel: nothing is recorded yet.
    jobSpec
      .given(throttled)
      .when(schedule({ now: T0 + 2_000, safety: { kind: 'recorded' } }))
      .then({ error: 'ConflictError', code: 'safety_not_recorded' });
    jobSpec
      .given(throttled)
      .when(schedule({ now: T0 + 2_000 }))
      .then([expect.objectContaining({ type: 'JobScheduled', data: expect.objectContaining({ safety: ALLOW }) })]);
  });

  it.each([0, -500])('checks a THROTTLE again after a second when its retry time is %i ms', (retryAfter) => {
    const throttle = safety('THROTTLE', { retry_after_ms: retryAfter });
    jobSpec
      .given(submitted())
      .when(schedule({ safety: { kind: 'decided', decision: throttle } }))
      .then([expect.objectContaining({ type: 'JobThrottled', data: expect.objectContaining({ due_at: T0 + 1_000 }) })]);
  });

  it('uses a recorded decision and never a new one passed in (checked once per job)', () => {
    const refusedOnce = historyOf(submit(), schedule(), handOff({ kind: 'no_responders' }));
    const deny = safety('DENY');
    jobSpec
      .given(refusedOnce)
      .when(schedule({ now: T0 + 60_000, token: 'tok-2', safety: { kind: 'decided', decision: deny } }))
      .then([expect.objectContaining({ type: 'JobScheduled', data: expect.objectContaining({ safety: null }) })]);
    jobSpec
      .given(refusedOnce)
      .when(
        schedule({
          now: T0 + 60_000,
          token: 'tok-2',
          safety: { kind: 'unavailable', on_unavailable: 'deny', reason: 'x' },
        }),
      )
      .then([expect.objectContaining({ type: 'JobScheduled' })]);
  });

  it('dispatches an approved job under the approved decision, with no second kernel call', () => {
    const needsApproval = safety('REQUIRE_APPROVAL', { constraints: { max_runtime_ms: 1_000 } });
    const approved = historyOf(submit(), schedule({ safety: { kind: 'decided', decision: needsApproval } }), approve());
    const { state } = jobSpec
      .given(approved)
      .when(schedule({ now: T0 + 100, safety: { kind: 'recorded' } }))
      .then([expect.objectContaining({ type: 'JobScheduled', data: expect.objectContaining({ safety: null }) })]);
    expect(state).toMatchObject({ status: 'SCHEDULED', limits: { running_ms: 1_000 }, safety: needsApproval });
  });
});

describe('ScheduleJob: placement', () => {
  it.each([
    ['all_overloaded', 'capacity'],
    ['tenant_limit', 'tenant_limit'],
    ['paused', 'paused'],
  ] as const)('waits in a queue when %s, recording the decision so it is never asked again', (reason, queue) => {
    const wait = schedule({ placement: { kind: 'wait', reason } });
    const { state } = jobSpec
      .given(submitted())
      .when(wait)
      .then([
        {
          type: 'JobQueued',
          data: {
            keys: keysOf(),
            status_before: 'PENDING',
            status_after: 'PENDING',
            due_at: T0 + recheck,
            deadline_at: null,
            queue,
            safety: ALLOW,
          },
        },
      ]);
    expect(state).toMatchObject({ hold: { kind: 'queue', queue }, safety: ALLOW });
    const queued = historyOf(submit(), wait);
    jobSpec
      .given(queued)
      .when({ ...wait, now: T0 + 10, safety: { kind: 'recorded' } })
      .then({ ignored: 'still_queued' });
    jobSpec
      .given(queued)
      .when(schedule({ now: T0 + 10, safety: { kind: 'recorded' } }))
      .then([expect.objectContaining({ type: 'JobScheduled', data: expect.objectContaining({ safety: null }) })]);
  });

  it('records a move from one wait queue to another', () => {
    const queued = historyOf(submit(), schedule({ placement: { kind: 'wait', reason: 'all_overloaded' } }));
    jobSpec
      .given(queued)
      .when(
        schedule({ now: T0 + 10, safety: { kind: 'recorded' }, placement: { kind: 'wait', reason: 'tenant_limit' } }),
      )
      .then([
        expect.objectContaining({
          type: 'JobQueued',
          data: expect.objectContaining({ queue: 'tenant_limit', safety: null, due_at: T0 + 10 + recheck }),
        }),
      ]);
  });

  it('fails the job when no pool serves its topic', () => {
    const { state } = jobSpec
      .given(submitted())
      .when(schedule({ placement: { kind: 'fail', reason: 'no_pool_mapping' } }))
      .then([
        {
          type: 'JobRoutingFailed',
          data: {
            keys: keysOf(),
            status_before: 'PENDING',
            status_after: 'FAILED',
            due_at: null,
            deadline_at: null,
            safety: ALLOW,
            error: { code: 'no_pool_mapping', message: 'no pool serves topic job.default' },
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'FAILED', safety: ALLOW, error: { code: 'no_pool_mapping' } });
  });
});

describe('ScheduleJob: when it does nothing', () => {
  it('does not dispatch before run_at', () => {
    const later = historyOf(submit({ run_at: T0 + 5_000 }));
    jobSpec
      .given(later)
      .when(schedule({ now: T0 + 4_999 }))
      .then({ ignored: 'not_due' });
    jobSpec
      .given(later)
      .when(schedule({ now: T0 + 5_000 }))
      .then([expect.objectContaining({ type: 'JobScheduled' })]);
  });

  it('leaves a job past its deadline to the reconciler', () => {
    jobSpec
      .given(historyOf(submit({ deadline_ms: 1_000 })))
      .when(schedule({ now: T0 + 1_000 }))
      .then({ ignored: 'deadline_passed' });
  });

  it('ignores a job that is not pending, or finished, and refuses an unknown one', () => {
    jobSpec.given(scheduled()).when(schedule()).then({ ignored: 'not_pending' });
    const denied = historyOf(submit(), schedule({ safety: { kind: 'decided', decision: safety('DENY') } }));
    jobSpec.given(denied).when(schedule()).then({ ignored: 'terminal' });
    jobSpec.given([]).when(schedule()).then({ error: 'NotFoundError' });
  });
});
