/** SPEC 1.4, 1.6, 1.8, 1.10: from a job's terminal event to its DLQ entry and reason code. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDlq } from '../../../../src/domain/dlq/decide.ts';
import { deadLetterFor, dlqReasonOf } from '../../../../src/domain/dlq/reason.ts';
import { NO_DLQ_ENTRY } from '../../../../src/domain/dlq/state.ts';
import type { JobCommand } from '../../../../src/domain/job/commands.ts';
import type { JobEvent } from '../../../../src/domain/job/events.ts';
import { fold } from '../../../../src/domain/job/evolve.ts';
import { failedJob } from '../../../support/dlq-fixtures.ts';
import {
  accepted,
  archive,
  cancel,
  failed,
  historyOf,
  JOB_ID,
  preempt,
  progress,
  RETRY_3,
  reevaluate,
  reject,
  report,
  safety,
  schedule,
  submit,
  T0,
  TENANT,
  jobSpec,
  timers,
} from '../../../support/job-fixtures.ts';
import { arbRun } from '../../../support/job-runs.ts';

const askApproval = schedule({
  safety: { kind: 'decided', decision: safety('REQUIRE_APPROVAL') },
  approval_ttl_ms: 1_000,
});
const lastOf = (...commands: JobCommand[]): JobEvent => {
  const event = historyOf(...commands).at(-1);
  if (event === undefined) throw new Error('empty history');
  return event;
};

describe('dlqReasonOf', () => {
  const cases: Array<[string, () => JobEvent, string | null]> = [
    [
      'a DENY',
      () => lastOf(submit(), schedule({ safety: { kind: 'decided', decision: safety('DENY') } })),
      'safety_denied',
    ],
    [
      'a fail-closed kernel outage',
      () => lastOf(submit(), schedule({ safety: { kind: 'unavailable', on_unavailable: 'deny', reason: 'open' } })),
      'safety_unavailable',
    ],
    ['a rejected approval', () => lastOf(submit(), askApproval, reject()), 'approval_rejected'],
    ['an expired approval', () => lastOf(submit(), askApproval, timers(T0 + 1_000)), 'approval_expired'],
    [
      'a DENY on re-evaluation',
      () => lastOf(submit(), askApproval, reevaluate(safety('DENY', { policy_version: 'v2' }))),
      'safety_denied',
    ],
    [
      'an ALLOW on re-evaluation',
      () => lastOf(submit(), askApproval, reevaluate(safety('ALLOW', { policy_version: 'v2' }))),
      null,
    ],
    [
      'no pool for the topic',
      () => lastOf(submit(), schedule({ placement: { kind: 'fail', reason: 'no_pool_mapping' } })),
      'no_pool_mapping',
    ],
    ['a final failure', () => lastOf(submit(), schedule(), accepted('w1', T0 + 4), failed()), 'boom'],
    [
      'a worker-reported TIMEOUT on the last attempt',
      () => lastOf(submit(), schedule(), accepted('w1', T0 + 4), report({ status: 'TIMEOUT' })),
      'worker_timeout',
    ],
    [
      'a failure that will be retried',
      () => lastOf(submit({ retry: RETRY_3 }), schedule(), accepted('w1', T0 + 4), failed()),
      null,
    ],
    ['a final timeout', () => lastOf(submit(), schedule(), timers(T0 + 60_000)), 'timeout'],
    ['a timeout that will be retried', () => lastOf(submit({ retry: RETRY_3 }), schedule(), timers(T0 + 60_000)), null],
    ['a success', () => lastOf(submit(), schedule(), accepted('w1', T0 + 4), report()), null],
    ['a user’s cancel', () => lastOf(submit(), schedule(), cancel()), null],
    ['a preemption', () => lastOf(preempt()), null],
    ['a submission', () => lastOf(submit()), null],
  ];
  it.each(cases)('maps %s to %s', (_label, make, code) => {
    const reason = dlqReasonOf(make());
    if (code === null) expect(reason).toBeNull();
    else expect(reason).toEqual({ reason_code: code, reason: expect.any(String) });
  });

  it.each([
    [
      'a DENY with the kernel’s reason',
      () =>
        lastOf(submit(), schedule({ safety: { kind: 'decided', decision: safety('DENY', { reason: 'gpu quota' }) } })),
      'gpu quota',
    ],
    [
      'a DENY without one',
      () => lastOf(submit(), schedule({ safety: { kind: 'decided', decision: safety('DENY') } })),
      'denied by the safety policy',
    ],
    [
      'a fail-closed kernel outage',
      () => lastOf(submit(), schedule({ safety: { kind: 'unavailable', on_unavailable: 'deny', reason: 'open' } })),
      'the safety kernel is unavailable',
    ],
    ['a rejection with its reason', () => lastOf(submit(), askApproval, reject()), 'too risky'],
    [
      'a rejection without one',
      () => lastOf(submit(), askApproval, reject({ reason: null })),
      'the approval was rejected',
    ],
    ['an expired approval', () => lastOf(submit(), askApproval, timers(T0 + 1_000)), 'the approval request expired'],
    [
      'a DENY on re-evaluation with its reason',
      () => lastOf(submit(), askApproval, reevaluate(safety('DENY', { policy_version: 'v2', reason: 'new rule' }))),
      'new rule',
    ],
    [
      'a DENY on re-evaluation without one',
      () => lastOf(submit(), askApproval, reevaluate(safety('DENY', { policy_version: 'v2' }))),
      'denied by the safety policy',
    ],
    [
      'a final dispatch timeout',
      () => lastOf(submit(), schedule(), timers(T0 + 60_000)),
      'dispatch timeout (attempt 1)',
    ],
    ['a final failure', () => lastOf(submit(), schedule(), accepted('w1', T0 + 4), failed()), 'it broke'],
  ])('explains %s', (_label, make, reason) => {
    expect(dlqReasonOf(make())?.reason).toBe(reason);
  });

  it('gives no reason for any event that ends nothing', () => {
    const ending = new Set([
      'JobDenied',
      'JobRejected',
      'JobApprovalExpired',
      'JobSafetyReevaluated',
      'JobRoutingFailed',
      'JobAttemptFailed',
      'JobAttemptTimedOut',
    ]);
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbRun, (run) => {
        for (const event of run.history) {
          if (ending.has(event.type)) continue;
          seen.add(event.type);
          expect(dlqReasonOf(event)).toBeNull();
        }
      }),
      { numRuns: 200 },
    );
    const archived = historyOf(submit(), schedule(), accepted('w1', T0 + 4), report(), archive()).at(-1);
    expect(archived?.type).toBe('JobArchived');
    expect(dlqReasonOf(archived as JobEvent)).toBeNull();
    const progressed = historyOf(
      submit({ timeouts: { running_ms: 40_000 } }),
      schedule(),
      accepted('w1', T0 + 4),
      progress({ now: T0 + 20_000 }),
    ).at(-1);
    expect(progressed?.type).toBe('JobProgressed');
    expect(dlqReasonOf(progressed as JobEvent)).toBeNull();
    expect(seen.size).toBeGreaterThanOrEqual(10);
  });
});

describe('deadLetterFor', () => {
  it('builds the entry of a failed job from its state', () => {
    const { history, request } = failedJob();
    const last = history.at(-1) as JobEvent;
    expect(deadLetterFor(fold(history), last, T0 + 99)).toEqual({
      type: 'AddDlqEntry',
      job_id: JOB_ID,
      tenant: TENANT,
      topic: 'job.default',
      final_state: 'FAILED',
      reason_code: 'boom',
      reason: 'it broke',
      attempts: 1,
      worker_id: 'w1',
      request,
      now: T0 + 99,
    });
  });

  it('builds none for a success, a cancel, or a workflow step job', () => {
    const done = historyOf(submit(), schedule(), accepted('w1', T0 + 4), report());
    expect(deadLetterFor(fold(done), done.at(-1) as JobEvent, T0)).toBeNull();
    const cancelled = historyOf(submit(), cancel());
    expect(deadLetterFor(fold(cancelled), cancelled.at(-1) as JobEvent, T0)).toBeNull();
    const step = { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build' };
    const stepFailed = historyOf(
      submit({ step }, { job_id: 'run-1.build.1', id_source: 'derived' }),
      schedule(),
      accepted('w1', T0 + 4),
      failed(),
    );
    expect(fold(stepFailed).status).toBe('FAILED');
    expect(deadLetterFor(fold(stepFailed), stepFailed.at(-1) as JobEvent, T0)).toBeNull();
  });

  it('builds none for a step job known only by its reference, or only by its id', () => {
    // The submit decider keeps the two together; the guard does not rely on it (as decideDlq does not).
    const { history } = failedJob();
    const failedState = fold(history);
    if (failedState.status !== 'FAILED') throw new Error('expected a failed job');
    const last = history.at(-1) as JobEvent;
    const step = { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build', foreach_index: null, foreach_item: null };
    const byRef = { ...failedState, request: { ...failedState.request, step } };
    const byId = { ...failedState, keys: { ...failedState.keys, job_id: 'run-1.build.1' } };
    expect(deadLetterFor(failedState, last, T0)).not.toBeNull();
    expect(deadLetterFor(byRef, last, T0)).toBeNull();
    expect(deadLetterFor(byId, last, T0)).toBeNull();
  });

  it('builds none when the event is not the one that ended the job (an archive after a failure)', () => {
    const { history } = failedJob();
    const { state, decision } = jobSpec
      .given(history)
      .when(archive())
      .then([expect.objectContaining({ type: 'JobArchived' })]);
    expect(state.status).toBe('FAILED');
    expect(deadLetterFor(state, decision.events[0] as JobEvent, T0)).toBeNull();
  });

  it('dead-letters exactly the ad-hoc FAILED, TIMEOUT and DENIED jobs, under their error code, and the DLQ accepts it', () => {
    fc.assert(
      fc.property(arbRun, (run) => {
        const state = run.states.at(-1);
        const last = run.history.at(-1);
        if (state === undefined || last === undefined) return;
        const entry = deadLetterFor(state, last, T0);
        const deadLettered = state.status === 'FAILED' || state.status === 'TIMEOUT' || state.status === 'DENIED';
        expect(entry !== null).toBe(deadLettered);
        if (entry === null || !('error' in state)) return;
        expect(entry.reason_code).toBe(state.error?.code);
        expect(entry.attempts).toBe(state.attempts);
        const added = decideDlq(entry, NO_DLQ_ENTRY);
        expect(added).not.toBeInstanceOf(Error);
      }),
      { numRuns: 300 },
    );
  });
});
