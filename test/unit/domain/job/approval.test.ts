/** SPEC 1.4: approval bound to (request hash, policy version), rejection, expiry, and re-evaluation. */
import { describe, expect, it } from 'vitest';
import type { JobSafetyReevaluated } from '../../../../src/domain/job/events.ts';
import { evolve, fold } from '../../../../src/domain/job/evolve.ts';
import {
  approve,
  cancel,
  HASH,
  historyOf,
  jobSpec,
  keysOf,
  reevaluate,
  reject,
  safety,
  schedule,
  submit,
  submitted,
  T0,
  timers,
} from '../../../support/job-fixtures.ts';

const TTL = 3_600_000;
const needsApproval = safety('REQUIRE_APPROVAL', { reason: 'risk tag pii' });
const askApproval = schedule({ safety: { kind: 'decided', decision: needsApproval }, approval_ttl_ms: TTL });
const waiting = () => historyOf(submit(), askApproval);

describe('ApproveJob', () => {
  it('makes the job PENDING and due at once, under the approved decision', () => {
    const { state } = jobSpec
      .given(waiting())
      .when(approve())
      .then([
        {
          type: 'JobApproved',
          data: {
            keys: keysOf(),
            status_before: 'APPROVAL_REQUIRED',
            status_after: 'PENDING',
            due_at: T0 + 100,
            deadline_at: null,
            by: 'alice',
            reason: 'looks fine',
            request_hash: HASH,
          },
        },
      ]);
    expect(state).toMatchObject({
      status: 'PENDING',
      hold: { kind: 'due' },
      safety: needsApproval,
      approval: { by: 'alice', request_hash: HASH },
    });
  });

  it('writes nothing when the request hash differs', () => {
    jobSpec
      .given(waiting())
      .when(approve({ request_hash: 'hash-other' }))
      .then({ error: 'ConflictError', code: 'request_hash_mismatch' });
  });

  it('writes nothing when the policy version changed since', () => {
    jobSpec
      .given(waiting())
      .when(approve({ current_policy_version: 'rules-v2' }))
      .then({ error: 'ConflictError', code: 'policy_changed' });
  });

  it('refuses a job that is not waiting for approval', () => {
    jobSpec.given(submitted()).when(approve()).then({ error: 'ConflictError', code: 'not_awaiting_approval' });
    const cancelled = historyOf(submit(), askApproval, cancel());
    jobSpec.given(cancelled).when(approve()).then({ error: 'ConflictError', code: 'not_awaiting_approval' });
    jobSpec.given([]).when(approve()).then({ error: 'NotFoundError' });
  });

  it('refuses an approval that arrives after the request expired', () => {
    jobSpec
      .given(waiting())
      .when(approve({ now: T0 + TTL }))
      .then({ error: 'ConflictError', code: 'approval_expired' });
    jobSpec
      .given(waiting())
      .when(approve({ now: T0 + TTL - 1 }))
      .then([expect.objectContaining({ type: 'JobApproved' })]);
  });
});

describe('RejectJob', () => {
  it('denies the job', () => {
    const { state } = jobSpec
      .given(waiting())
      .when(reject())
      .then([
        {
          type: 'JobRejected',
          data: {
            keys: keysOf(),
            status_before: 'APPROVAL_REQUIRED',
            status_after: 'DENIED',
            due_at: null,
            deadline_at: null,
            by: 'alice',
            reason: 'too risky',
            request_hash: HASH,
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'DENIED', error: { code: 'approval_rejected', message: 'too risky' } });
  });

  it('says the approval was rejected when the approver gives no reason', () => {
    const { state } = jobSpec
      .given(waiting())
      .when(reject({ reason: null }))
      .then([expect.objectContaining({ type: 'JobRejected' })]);
    expect(state).toMatchObject({
      status: 'DENIED',
      error: { code: 'approval_rejected', message: 'the approval was rejected' },
    });
  });

  it('checks the hash and policy version as approval does', () => {
    jobSpec
      .given(waiting())
      .when(reject({ request_hash: 'nope' }))
      .then({ error: 'ConflictError', code: 'request_hash_mismatch' });
    jobSpec
      .given(waiting())
      .when(reject({ current_policy_version: 'rules-v9' }))
      .then({ error: 'ConflictError', code: 'policy_changed' });
  });
});

describe('Approval expiry', () => {
  it('denies the job when the approval request expires', () => {
    jobSpec
      .given(waiting())
      .when(timers(T0 + TTL - 1))
      .then({ ignored: 'nothing_due' });
    const { state } = jobSpec
      .given(waiting())
      .when(timers(T0 + TTL))
      .then([
        {
          type: 'JobApprovalExpired',
          data: {
            keys: keysOf(),
            status_before: 'APPROVAL_REQUIRED',
            status_after: 'DENIED',
            due_at: null,
            deadline_at: null,
          },
        },
      ]);
    expect(state).toMatchObject({
      status: 'DENIED',
      error: { code: 'approval_expired', message: 'the approval request expired' },
    });
  });

  it('expires the approval rather than timing out when both fall due at the same time', () => {
    const history = historyOf(submit({ deadline_ms: TTL }), askApproval);
    expect(history[1]?.data).toMatchObject({ due_at: T0 + TTL, deadline_at: T0 + TTL });
    jobSpec
      .given(history)
      .when(timers(T0 + TTL))
      .then([expect.objectContaining({ type: 'JobApprovalExpired' })]);
  });

  it('times the job out when its deadline comes before the approval expires', () => {
    const history = historyOf(submit({ deadline_ms: 60_000 }), askApproval);
    expect(history[1]?.data.due_at).toBe(T0 + 60_000);
    jobSpec
      .given(history)
      .when(timers(T0 + TTL))
      .then([
        expect.objectContaining({
          type: 'JobAttemptTimedOut',
          data: expect.objectContaining({ phase: 'deadline', attempt: 0, stop: null, outcome: { final: 'TIMEOUT' } }),
        }),
      ]);
  });
});

describe('ReevaluateSafety (the rules changed while the job waited)', () => {
  it('does nothing when the policy version is the one the job waits under', () => {
    jobSpec.given(waiting()).when(reevaluate(needsApproval)).then({ ignored: 'policy_unchanged' });
  });

  it('releases the job when the new rules allow it, recording the decision', () => {
    const allowV2 = safety('ALLOW', { policy_version: 'rules-v2' });
    const result = jobSpec
      .given(waiting())
      .when(reevaluate(allowV2))
      .then([
        {
          type: 'JobSafetyReevaluated',
          data: {
            keys: keysOf(),
            status_before: 'APPROVAL_REQUIRED',
            status_after: 'PENDING',
            due_at: T0 + 50,
            deadline_at: null,
            safety: allowV2,
            request_hash: null,
            expires_at: null,
          },
        },
      ]);
    expect(result.state).toMatchObject({ status: 'PENDING', hold: { kind: 'due' }, safety: allowV2 });
    jobSpec
      .given(historyOf(submit(), askApproval, reevaluate(allowV2)))
      .when(schedule({ now: T0 + 50, safety: { kind: 'recorded' } }))
      .then([expect.objectContaining({ type: 'JobScheduled', data: expect.objectContaining({ safety: null }) })]);
  });

  it('denies the job when the new rules deny it', () => {
    const { state } = jobSpec
      .given(waiting())
      .when(reevaluate(safety('DENY', { policy_version: 'rules-v2', reason: 'now blocked' })))
      .then([expect.objectContaining({ data: expect.objectContaining({ status_after: 'DENIED', due_at: null }) })]);
    expect(state).toMatchObject({ status: 'DENIED', error: { code: 'safety_denied', message: 'now blocked' } });
  });

  it('releases the job under constraints too, recording the decision', () => {
    const constrained = safety('ALLOW_WITH_CONSTRAINTS', {
      policy_version: 'rules-v2',
      constraints: { max_retries: 0 },
    });
    const { state } = jobSpec
      .given(waiting())
      .when(reevaluate(constrained))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ status_after: 'PENDING', due_at: T0 + 50, safety: constrained }),
        }),
      ]);
    expect(state).toMatchObject({ status: 'PENDING', hold: { kind: 'due' }, safety: constrained });
  });

  it('says the safety policy denied the job when the new rules give no reason', () => {
    const { state } = jobSpec
      .given(waiting())
      .when(reevaluate(safety('DENY', { policy_version: 'rules-v2' })))
      .then([expect.objectContaining({ type: 'JobSafetyReevaluated' })]);
    expect(state).toMatchObject({ error: { code: 'safety_denied', message: 'denied by the safety policy' } });
  });

  it('throttles without recording a decision', () => {
    const throttle = safety('THROTTLE', { policy_version: 'rules-v2', retry_after_ms: 5_000 });
    const { state } = jobSpec
      .given(waiting())
      .when(reevaluate(throttle))
      .then([
        expect.objectContaining({ data: expect.objectContaining({ status_after: 'PENDING', due_at: T0 + 5_050 }) }),
      ]);
    expect(state).toMatchObject({ status: 'PENDING', hold: { kind: 'throttled' }, safety: null });
  });

  it('asks again under the new version and hash, keeping the original expiry', () => {
    const stillNeeds = safety('REQUIRE_APPROVAL', { policy_version: 'rules-v2' });
    const { state } = jobSpec
      .given(waiting())
      .when(reevaluate(stillNeeds))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            status_after: 'APPROVAL_REQUIRED',
            request_hash: 'hash-2',
            expires_at: T0 + TTL,
            due_at: T0 + TTL,
          }),
        }),
      ]);
    expect(state).toMatchObject({ approval_request: { request_hash: 'hash-2', safety: stillNeeds } });
    const requestedAgain = historyOf(submit(), askApproval, reevaluate(stillNeeds));
    jobSpec.given(requestedAgain).when(approve()).then({ error: 'ConflictError', code: 'request_hash_mismatch' });
    jobSpec
      .given(requestedAgain)
      .when(approve({ request_hash: 'hash-2' }))
      .then({ error: 'ConflictError', code: 'policy_changed' });
    jobSpec
      .given(requestedAgain)
      .when(approve({ request_hash: 'hash-2', current_policy_version: 'rules-v2' }))
      .then([expect.objectContaining({ type: 'JobApproved' })]);
  });

  it('ignores a job that is not waiting for approval', () => {
    jobSpec
      .given(submitted())
      .when(reevaluate(safety('ALLOW', { policy_version: 'rules-v2' })))
      .then({ ignored: 'not_awaiting_approval' });
  });
});

describe('replaying JobSafetyReevaluated', () => {
  const stillNeeds = safety('REQUIRE_APPROVAL', { policy_version: 'rules-v2' });
  // Built inside each test (not while the file loads), so mutation testing credits these tests.
  const reasked = () => {
    const [, , recorded] = historyOf(submit(), askApproval, reevaluate(stillNeeds)) as [
      unknown,
      unknown,
      JobSafetyReevaluated,
    ];
    return { recorded, before: fold(waiting()) };
  };

  it('takes the new request’s hash and expiry from the event, as recorded', () => {
    const { recorded, before } = reasked();
    const later = { ...recorded, data: { ...recorded.data, expires_at: T0 + 2 * TTL, due_at: T0 + 2 * TTL } };
    expect(evolve(before, later)).toMatchObject({
      status: 'APPROVAL_REQUIRED',
      due_at: T0 + 2 * TTL,
      approval_request: { safety: stillNeeds, request_hash: 'hash-2', expires_at: T0 + 2 * TTL },
    });
  });

  it('leaves the state alone for an outcome it does not know (a hand-made event)', () => {
    const { recorded, before } = reasked();
    const odd = { ...recorded, data: { ...recorded.data, status_after: 'RUNNING' as const } };
    expect(evolve(before, odd)).toBe(before);
  });
});
