/** SPEC 1.2, 1.9, 2.2, retention: cancel, preemption, snapshots, archiving, and terminal states absorb. */
import { describe, expect, it } from 'vitest';
import type { JobCommand } from '../../../../src/domain/job/commands.ts';
import { isDomainError } from '../../../../src/domain/job/commands.ts';
import { decide } from '../../../../src/domain/job/decide.ts';
import { decideArchiveOnLastEvent } from '../../../../src/domain/job/decide-lifecycle.ts';
import type { JobEvent, JobSnapshot } from '../../../../src/domain/job/events.ts';
import { evolve, fold } from '../../../../src/domain/job/evolve.ts';
import { NO_JOB } from '../../../../src/domain/job/state.ts';
import {
  accepted,
  approve,
  archive,
  cancel,
  dispatched,
  failed,
  handOff,
  historyOf,
  jobSpec,
  keysOf,
  preempt,
  progress,
  reevaluate,
  reject,
  report,
  running,
  safety,
  schedule,
  scheduled,
  started,
  submit,
  submitted,
  T0,
  takeSnapshot,
  timers,
} from '../../../support/job-fixtures.ts';

const askApproval = schedule({ safety: { kind: 'decided', decision: safety('REQUIRE_APPROVAL') } });

describe('CancelJob', () => {
  it('cancels a pending job at once, with nobody to stop', () => {
    const { state } = jobSpec
      .given(submitted())
      .when(cancel())
      .then([
        {
          type: 'JobCancelled',
          data: {
            keys: keysOf(),
            status_before: 'PENDING',
            status_after: 'CANCELLED',
            due_at: null,
            deadline_at: null,
            by: 'api:key-1',
            reason: 'no longer needed',
            stop: null,
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'CANCELLED', cancellation: { by: 'api:key-1', reason: 'no longer needed' } });
  });

  it('cancels a job waiting for approval', () => {
    jobSpec
      .given(historyOf(submit(), askApproval))
      .when(cancel())
      .then([
        expect.objectContaining({ data: expect.objectContaining({ status_before: 'APPROVAL_REQUIRED', stop: null }) }),
      ]);
  });

  it('stops the chosen worker of a scheduled job, or the pool of a topic-queue hand-off', () => {
    jobSpec
      .given(scheduled())
      .when(cancel())
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } }),
        }),
      ]);
    jobSpec
      .given(historyOf(submit(), schedule({ placement: { kind: 'queue', pool: 'default' } })))
      .when(cancel())
      .then([
        expect.objectContaining({
          data: expect.objectContaining({ stop: { kind: 'pool', pool: 'default', attempt: 1 } }),
        }),
      ]);
  });

  it('stops the holder of a dispatched or running job', () => {
    for (const history of [dispatched(), running()]) {
      jobSpec
        .given(history)
        .when(cancel())
        .then([
          expect.objectContaining({
            data: expect.objectContaining({ stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } }),
          }),
        ]);
    }
  });

  it('is idempotent on a finished job: nothing changes and it is no error', () => {
    const cancelled = historyOf(submit(), cancel());
    jobSpec.given(cancelled).when(cancel()).then({ ignored: 'terminal', stop: undefined });
    const done = historyOf(submit(), schedule(), accepted('w1', T0 + 4), report());
    jobSpec.given(done).when(cancel()).then({ ignored: 'terminal' });
    jobSpec.given([]).when(cancel()).then({ error: 'NotFoundError' });
    // With no one to stop the decision has no `stop` key at all (exactOptionalPropertyTypes, JSON logs).
    const decision = decide(cancel(), fold(cancelled));
    expect(decision).toStrictEqual({ events: [], ignored: 'terminal' });
    expect(isDomainError(decision)).toBe(false);
    expect(isDomainError(decide(cancel(), NO_JOB))).toBe(true);
  });

  it('is never dispatched afterwards', () => {
    jobSpec.given(historyOf(submit(), cancel())).when(schedule()).then({ ignored: 'terminal' });
  });
});

describe('PreemptJob', () => {
  it('takes a step job’s id before it is created, as CANCELLED', () => {
    const { state } = jobSpec
      .given([])
      .when(preempt())
      .then([
        {
          type: 'JobPreempted',
          data: {
            keys: keysOf({ job_id: 'run-1.build.1', workflow_id: 'wf-1', run_id: 'run-1' }),
            status_before: null,
            status_after: 'CANCELLED',
            due_at: null,
            deadline_at: null,
            reason: 'run cancelled',
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'CANCELLED', preempted: true });
  });

  it('is idempotent, refuses an existing job, and only takes step job ids', () => {
    jobSpec.given(historyOf(preempt())).when(preempt()).then({ ignored: 'already_preempted' });
    const step = { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build' };
    const created = historyOf(submit({ step }, { job_id: 'run-1.build.1', id_source: 'derived' }));
    jobSpec.given(created).when(preempt()).then({ error: 'ConflictError', code: 'job_exists' });
    jobSpec
      .given([])
      .when(preempt({ job_id: 'job-1' }))
      .then({ error: 'ValidationError', field: 'job_id' });
    jobSpec
      .given([])
      .when(preempt({ run_id: 'run-2' }))
      .then({ error: 'ValidationError', field: 'job_id' });
  });

  it('refuses a step job that was created and then cancelled: only a preemption is idempotent', () => {
    const step = { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build' };
    const cancelled = historyOf(submit({ step }, { job_id: 'run-1.build.1', id_source: 'derived' }), cancel());
    jobSpec.given(cancelled).when(preempt()).then({ error: 'ConflictError', code: 'job_exists' });
  });
});

describe('TakeSnapshot', () => {
  const histories: Array<[string, () => JobEvent[]]> = [
    ['pending', submitted],
    ['waiting for approval', () => historyOf(submit(), askApproval)],
    ['scheduled', () => scheduled()],
    ['dispatched', () => dispatched()],
    ['running', () => running()],
  ];

  it.each(histories)(
    'restores a %s job exactly, from the snapshot alone and after a JSON round trip',
    (_label, make) => {
      const history = make();
      const state = fold(history);
      if (state.status === 'NONE') throw new Error('expected a job');
      const { decision } = jobSpec
        .given(history)
        .when(takeSnapshot())
        .then([expect.objectContaining({ type: 'JobSnapshot' })]);
      const [snapshot] = decision.events as [JobSnapshot];
      expect(snapshot.data).toMatchObject({
        status_before: state.status,
        status_after: state.status,
        due_at: state.due_at,
      });
      expect(fold([snapshot])).toEqual(state);
      const stored = JSON.parse(JSON.stringify(snapshot)) as JobSnapshot;
      expect(fold([stored])).toEqual(state);
      expect(fold([...history, snapshot])).toEqual(state);
    },
  );

  it('lets a load that starts at the snapshot continue as the full history does', () => {
    const before = running({ retry: { max_attempts: 2 } });
    const snapshotEvent = historyOf(
      submit({ retry: { max_attempts: 2 } }),
      schedule(),
      accepted('w1', T0 + 4),
      takeSnapshot(),
    );
    const snapshot = snapshotEvent.at(-1) as JobEvent;
    const next = failed({ now: T0 + 40 });
    const fromFull = decide(next, fold([...before, snapshot]));
    const fromSnapshot = decide(next, fold([snapshot]));
    expect(fromSnapshot).toEqual(fromFull);
  });

  it('is not taken of a finished job, and does not change one', () => {
    const done = historyOf(submit(), cancel());
    jobSpec.given(done).when(takeSnapshot()).then({ ignored: 'terminal' });
    const snapshotOfPending = historyOf(submit(), takeSnapshot()).at(-1) as JobEvent;
    expect(evolve(fold(done), snapshotOfPending)).toEqual(fold(done));
  });

  it('leaves the state alone when a snapshot holds something that is not a job state', () => {
    const bogus: JobSnapshot = {
      type: 'JobSnapshot',
      data: {
        keys: keysOf(),
        status_before: 'PENDING',
        status_after: 'PENDING',
        due_at: T0,
        deadline_at: null,
        state: { x: 1 },
      },
    };
    expect(evolve(NO_JOB, bogus)).toEqual(NO_JOB);
    expect(evolve(fold(submitted()), bogus)).toEqual(fold(submitted()));
  });

  it('leaves the state alone when the snapshot’s state disagrees with the status the event records', () => {
    const snapshot = historyOf(submit(), takeSnapshot()).at(-1) as JobSnapshot;
    const mismatched: JobSnapshot = { ...snapshot, data: { ...snapshot.data, status_after: 'RUNNING' } };
    expect(evolve(NO_JOB, snapshot)).toEqual(fold(submitted()));
    expect(evolve(NO_JOB, mismatched)).toEqual(NO_JOB);
  });
});

describe('ArchiveJob', () => {
  it('archives a finished job once', () => {
    const done = historyOf(submit(), cancel());
    const { state } = jobSpec
      .given(done)
      .when(archive())
      .then([
        {
          type: 'JobArchived',
          data: {
            keys: keysOf(),
            status_before: 'CANCELLED',
            status_after: 'CANCELLED',
            due_at: null,
            deadline_at: null,
            archive_ref: 'archive/job-1',
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'CANCELLED', archive_ref: 'archive/job-1' });
    jobSpec
      .given(historyOf(submit(), cancel(), archive()))
      .when(archive('again'))
      .then({ ignored: 'already_archived' });
    jobSpec
      .given(historyOf(preempt()))
      .when(archive())
      .then([expect.objectContaining({ type: 'JobArchived' })]);
  });

  it('keeps the first archive reference when an archive event is replayed twice', () => {
    const [archived] = historyOf(submit(), cancel(), archive()).slice(-1) as [JobEvent];
    const again = { ...archived, data: { ...archived.data, archive_ref: 'archive/other' } } as JobEvent;
    const once = fold(historyOf(submit(), cancel(), archive()));
    expect(evolve(once, again)).toEqual(once);
    expect(once).toMatchObject({ archive_ref: 'archive/job-1' });
  });

  it('refuses a job that is not finished', () => {
    jobSpec.given(running()).when(archive()).then({ error: 'ConflictError', code: 'job_not_terminal' });
    jobSpec.given([]).when(archive()).then({ error: 'NotFoundError' });
  });
});

describe('ArchiveJob on the last event alone (the first events aged out)', () => {
  const finished: Array<[string, JobEvent[]]> = [
    ['SUCCEEDED', historyOf(submit(), schedule(), accepted('w1', T0 + 4), report())],
    ['FAILED', historyOf(submit(), schedule(), accepted('w1', T0 + 4), failed())],
    ['CANCELLED', historyOf(submit(), schedule(), cancel())],
    ['TIMEOUT', historyOf(submit(), schedule(), timers(T0 + 60_000))],
    ['DENIED', historyOf(submit(), askApproval, reject())],
    ['CANCELLED (preempted)', historyOf(preempt())],
  ];

  it.each(finished)('decides what the whole history decides, for a %s job', (_status, history) => {
    const command = archive();
    const whole = decide(command, fold(history));
    const onLast = decideArchiveOnLastEvent(command, history.at(-1) as JobEvent);
    expect(onLast).toEqual(whole);
    expect(isDomainError(onLast)).toBe(false);
  });

  it('ignores a job already archived and refuses one that is not finished', () => {
    const archived = historyOf(submit(), cancel(), archive()).at(-1) as JobEvent;
    expect(decideArchiveOnLastEvent(archive(), archived)).toEqual({
      events: [],
      ignored: 'already_archived',
    });
    const live = running().at(-1) as JobEvent;
    expect(decideArchiveOnLastEvent(archive(), live)).toMatchObject({ code: 'job_not_terminal' });
  });
});

describe('Terminal states absorb', () => {
  const terminalHistories: Array<[string, () => JobEvent[]]> = [
    ['SUCCEEDED', () => historyOf(submit(), schedule(), accepted('w1', T0 + 4), report())],
    ['FAILED', () => historyOf(submit(), schedule(), accepted('w1', T0 + 4), failed())],
    ['CANCELLED', () => historyOf(submit(), schedule(), cancel())],
    ['TIMEOUT', () => historyOf(submit(), schedule(), timers(T0 + 60_000))],
    ['DENIED', () => historyOf(submit(), askApproval, reject())],
    ['CANCELLED (preempted)', () => historyOf(preempt())],
  ];
  const laterInputs: JobCommand[] = [
    schedule({ now: T0 + 1e7 }),
    accepted('w1', null, { now: T0 + 1e7 }),
    handOff({ kind: 'refused', worker_id: 'w1' }),
    started({ now: T0 + 1e7 }),
    report({ now: T0 + 1e7 }),
    failed({ now: T0 + 1e7 }),
    report({ status: 'CANCELLED', now: T0 + 1e7 }),
    progress({ now: T0 + 1e7 }),
    timers(T0 + 1e9),
    cancel({ now: T0 + 1e7 }),
    reevaluate(safety('ALLOW', { policy_version: 'v9' })),
    takeSnapshot(T0 + 1e7),
  ];

  it.each(terminalHistories)('%s: no later input adds an event or is an error', (_label, make) => {
    const state = fold(make());
    for (const command of laterInputs) {
      const result = decide(command, state);
      expect(result, command.type).not.toBeInstanceOf(Error);
      if (result instanceof Error) continue;
      expect(result.events, command.type).toEqual([]);
    }
    // Approving or rejecting a finished job is answered 409, as for any job not waiting.
    expect(decide(approve(), state)).toMatchObject({ name: 'ConflictError', code: 'not_awaiting_approval' });
  });
});
