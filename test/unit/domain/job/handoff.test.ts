/** SPEC 1.6: the hand-off reply, who holds an attempt, and the dispatch backoff (not an attempt). */
import { describe, expect, it } from 'vitest';
import type { JobCommand } from '../../../../src/domain/job/commands.ts';
import { decide } from '../../../../src/domain/job/decide.ts';
import { evolve, fold } from '../../../../src/domain/job/evolve.ts';
import type { JobState } from '../../../../src/domain/job/state.ts';
import {
  accepted,
  cancel,
  dispatched,
  handOff,
  historyOf,
  jobSpec,
  keysOf,
  running,
  schedule,
  scheduled,
  started,
  submit,
  T0,
  timers,
} from '../../../support/job-fixtures.ts';

function decideOk(command: JobCommand, state: JobState) {
  const result = decide(command, state);
  if (result instanceof Error) throw result;
  return result.events;
}

const queued = () => historyOf(submit(), schedule({ placement: { kind: 'queue', pool: 'default' } }));

describe('RecordHandOff: accepted', () => {
  it('makes the job DISPATCHED, still due at the dispatch deadline', () => {
    const { state } = jobSpec
      .given(scheduled())
      .when(accepted())
      .then([
        {
          type: 'JobDispatched',
          data: {
            keys: keysOf(),
            status_before: 'SCHEDULED',
            status_after: 'DISPATCHED',
            due_at: T0 + 60_000,
            deadline_at: null,
            attempt: 1,
            worker_id: 'w1',
            started_at: null,
            running_deadline_at: null,
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'DISPATCHED', worker_id: 'w1', dispatch_deadline_at: T0 + 60_000 });
  });

  it('makes the job RUNNING when the worker started at once, due at the running deadline', () => {
    const { state } = jobSpec
      .given(scheduled())
      .when(accepted('w1', T0 + 4))
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            status_after: 'RUNNING',
            started_at: T0 + 4,
            running_deadline_at: T0 + 5 + 900_000,
            due_at: T0 + 5 + 900_000,
          }),
        }),
      ]);
    expect(state).toMatchObject({ status: 'RUNNING', started_at: T0 + 4, running_deadline_at: T0 + 5 + 900_000 });
  });

  it('is harmless when the holder accepts again (asked twice for the same attempt)', () => {
    jobSpec.given(dispatched()).when(accepted()).then({ ignored: 'already_accepted', stop: undefined });
    jobSpec
      .given(running())
      .when(accepted('w1', T0 + 4))
      .then({ ignored: 'already_accepted', stop: undefined });
  });

  it('is harmless when the accept arrives after the holder’s started notice', () => {
    const startedFirst = historyOf(submit(), schedule(), started());
    jobSpec.given(startedFirst).when(accepted()).then({ ignored: 'already_accepted', stop: undefined });
  });

  it('stops a worker that accepts a direct hand-off meant for another', () => {
    jobSpec
      .given(scheduled())
      .when(accepted('w2'))
      .then({ ignored: 'not_holder', stop: { kind: 'worker', worker_id: 'w2', attempt: 1 } });
  });

  it('makes the first worker to accept a topic-queue hand-off its holder, and stops any other', () => {
    const { state } = jobSpec
      .given(queued())
      .when(accepted('w7'))
      .then([expect.objectContaining({ data: expect.objectContaining({ worker_id: 'w7' }) })]);
    expect(state).toMatchObject({ status: 'DISPATCHED', worker_id: 'w7' });
    jobSpec
      .given(historyOf(submit(), schedule({ placement: { kind: 'queue', pool: 'default' } }), accepted('w7')))
      .when(accepted('w8'))
      .then({ ignored: 'not_holder', stop: { kind: 'worker', worker_id: 'w8', attempt: 1 } });
  });

  it('stops a worker whose accept arrives after the job was cancelled while scheduled', () => {
    jobSpec
      .given(historyOf(submit(), schedule(), cancel()))
      .when(accepted())
      .then({ ignored: 'terminal', stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } });
  });

  it('stops a worker whose accept arrives after the dispatch timeout took the attempt', () => {
    const timedOut = historyOf(submit({ retry: { max_attempts: 2 } }), schedule(), timers(T0 + 60_000));
    jobSpec
      .given(timedOut)
      .when(accepted('w1', null, { now: T0 + 60_001 }))
      .then({ ignored: 'no_attempt_in_flight', stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } });
  });
});

describe('RecordHandOff: refused or no responders', () => {
  it('goes back to PENDING after a backoff without consuming the attempt', () => {
    const { state } = jobSpec
      .given(scheduled())
      .when(handOff({ kind: 'refused', worker_id: 'w1' }))
      .then([
        {
          type: 'JobDispatchFailed',
          data: {
            keys: keysOf(),
            status_before: 'SCHEDULED',
            status_after: 'PENDING',
            due_at: T0 + 5 + 500,
            deadline_at: null,
            attempt: 1,
            reason: 'refused',
            worker_id: 'w1',
            retry_at: T0 + 5 + 500,
            failures: 1,
          },
        },
      ]);
    expect(state).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      hold: { kind: 'dispatch_backoff', failures: 1 },
    });
  });

  it('names no worker when nobody answered', () => {
    jobSpec
      .given(scheduled())
      .when(handOff({ kind: 'no_responders' }))
      .then([
        expect.objectContaining({
          type: 'JobDispatchFailed',
          data: expect.objectContaining({ reason: 'no_responders', worker_id: null, failures: 1 }),
        }),
      ]);
  });

  it('backs off exponentially on consecutive failures, capped, and resets once a hand-off is accepted', () => {
    let state = fold(scheduled());
    let now = T0;
    const delays: number[] = [];
    for (let failure = 1; failure <= 8; failure++) {
      const [failedEvent] = decideOk(handOff({ kind: 'no_responders' }, { now, token: `tok-${failure}` }), state);
      if (failedEvent?.type !== 'JobDispatchFailed') throw new Error('expected a dispatch failure');
      expect(failedEvent.data.failures).toBe(failure);
      expect(failedEvent.data.attempt).toBe(1);
      delays.push(failedEvent.data.retry_at - now);
      state = evolve(state, failedEvent);
      now = failedEvent.data.retry_at;
      const [rescheduled] = decideOk(
        schedule({ now, token: `tok-${failure + 1}`, safety: { kind: 'recorded' } }),
        state,
      );
      if (rescheduled === undefined) throw new Error('expected the job to be scheduled again');
      state = evolve(state, rescheduled);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    const [dispatchedEvent] = decideOk(accepted('w1', null, { now, token: 'tok-9' }), state);
    expect(dispatchedEvent).toMatchObject({ type: 'JobDispatched', data: { attempt: 1 } });
    if (dispatchedEvent === undefined) return;
    expect(evolve(state, dispatchedEvent)).toMatchObject({ status: 'DISPATCHED', dispatch_failures: 0, attempts: 0 });
  });

  it('applies the jitter draw to the backoff', () => {
    jobSpec
      .given(scheduled())
      .when(
        handOff(
          { kind: 'no_responders' },
          { jitter: 0.5, backoff: { ...handOff({ kind: 'no_responders' }).backoff, jitter: 0.2 } },
        ),
      )
      .then([expect.objectContaining({ data: expect.objectContaining({ retry_at: T0 + 5 + 450 }) })]);
  });

  it('schedules the same attempt again under a new token; the old token no longer counts', () => {
    const retried = historyOf(
      submit(),
      schedule(),
      handOff({ kind: 'refused', worker_id: 'w1' }),
      schedule({
        now: T0 + 505,
        token: 'tok-2',
        safety: { kind: 'recorded' },
        placement: { kind: 'worker', worker_id: 'w2', pool: 'default' },
      }),
    );
    expect(retried.at(-1)).toMatchObject({ type: 'JobScheduled', data: { attempt: 1, token: 'tok-2' } });
    jobSpec
      .given(retried)
      .when(accepted('w1', null, { now: T0 + 506 }))
      .then({ ignored: 'wrong_token', stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } });
    // Not stopped when it is the worker this attempt is now handed to: a stop names only the attempt.
    jobSpec
      .given(retried)
      .when(accepted('w2', null, { now: T0 + 506 }))
      .then({ ignored: 'wrong_token', stop: undefined });
  });

  it('ignores a refusal that is not for the hand-off in flight', () => {
    jobSpec
      .given(dispatched())
      .when(handOff({ kind: 'refused', worker_id: 'w1' }))
      .then({ ignored: 'stale_hand_off', stop: undefined });
    jobSpec
      .given(scheduled())
      .when(handOff({ kind: 'no_responders' }, { token: 'tok-0' }))
      .then({ ignored: 'stale_hand_off' });
    jobSpec
      .given(historyOf(submit(), schedule(), cancel()))
      .when(handOff({ kind: 'no_responders' }))
      .then({ ignored: 'terminal', stop: undefined });
  });
});
