/** SPEC 1.8, 1.10: which jobs are dead-lettered, and an entry's idempotent retry and soft delete. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideDlq } from '../../../../src/domain/dlq/decide.ts';
import type { DlqEvent } from '../../../../src/domain/dlq/events.ts';
import { evolveDlq, foldDlq } from '../../../../src/domain/dlq/evolve.ts';
import { addEntry, addedEvent, DLQ_AT, dlqKeys, dlqSpec, failedJob } from '../../../support/dlq-fixtures.ts';
import { JOB_ID, T0, TENANT } from '../../../support/job-fixtures.ts';

const retry = (now = DLQ_AT + 1_000) => ({ type: 'RetryDlqEntry' as const, by: 'api:key-1', now });
const remove = (now = DLQ_AT + 2_000) => ({ type: 'DeleteDlqEntry' as const, by: 'api:key-1', now });

describe('AddDlqEntry', () => {
  it('records the entry with the full original request', () => {
    const { request } = failedJob();
    const { state } = dlqSpec
      .given([])
      .when(addEntry())
      .then([
        {
          type: 'DlqEntryAdded',
          data: {
            keys: dlqKeys,
            job_id: JOB_ID,
            tenant: TENANT,
            topic: 'job.default',
            final_state: 'FAILED',
            reason_code: 'boom',
            reason: 'it broke',
            attempts: 1,
            worker_id: 'w1',
            created_at: DLQ_AT,
            request,
          },
        },
      ]);
    expect(state).toMatchObject({ status: 'ACTIVE', retries: 0, retried_as: null, request });
    expect(request).toMatchObject({ payload: { n: 1 }, labels: { region: 'eu' }, idempotency_key: 'idem-1' });
  });

  it.each(['TIMEOUT', 'DENIED'] as const)('records a %s job', (final_state) => {
    dlqSpec
      .given([])
      .when(addEntry({ final_state }))
      .then([expect.objectContaining({ data: expect.objectContaining({ final_state }) })]);
  });

  it.each(['SUCCEEDED', 'CANCELLED', 'PENDING', 'RUNNING'] as const)('refuses a %s job', (final_state) => {
    dlqSpec.given([]).when(addEntry({ final_state })).then({ error: 'ConflictError', code: 'not_dead_letterable' });
  });

  it('refuses workflow step jobs, by their step reference or by their id', () => {
    const { request } = failedJob();
    const step = { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build', foreach_index: null, foreach_item: null };
    dlqSpec
      .given([])
      .when(addEntry({ request: { ...request, step } }))
      .then({ error: 'ConflictError', code: 'workflow_step_job' });
    dlqSpec
      .given([])
      .when(addEntry({ job_id: 'run-1.build.1', request: { ...request, job_id: 'run-1.build.1' } }))
      .then({ error: 'ConflictError', code: 'workflow_step_job' });
  });

  it('refuses a request of another job', () => {
    dlqSpec
      .given([])
      .when(addEntry({ job_id: 'other' }))
      .then({ error: 'ValidationError', field: 'request.job_id', code: 'mismatch' });
  });

  it('is a no-op when the entry exists (a redelivered terminal event)', () => {
    dlqSpec
      .given([addedEvent()])
      .when(addEntry({ now: DLQ_AT + 5 }))
      .then({ ignored: 'already_added' });
  });
});

describe('RetryDlqEntry', () => {
  it('records the retry with a deterministic new job id before the job exists', () => {
    const { state, decision } = dlqSpec
      .given([addedEvent()])
      .when(retry())
      .then([
        {
          type: 'DlqRetried',
          data: { keys: dlqKeys, n: 1, new_job_id: `${JOB_ID}.r1`, by: 'api:key-1', at: DLQ_AT + 1_000 },
        },
      ]);
    expect(decision.new_job_id).toBe(`${JOB_ID}.r1`);
    expect(state).toMatchObject({ status: 'ACTIVE', retries: 1, retried_as: `${JOB_ID}.r1` });
  });

  it('returns the same new job, with no event, when retried again', () => {
    const retried = [
      addedEvent(),
      { type: 'DlqRetried' as const, data: { keys: dlqKeys, n: 1, new_job_id: `${JOB_ID}.r1`, by: 'x', at: T0 } },
    ];
    const { decision } = dlqSpec
      .given(retried)
      .when(retry(DLQ_AT + 9_000))
      .then({ ignored: 'already_retried' });
    expect(decision.new_job_id).toBe(`${JOB_ID}.r1`);
  });

  it('refuses an unknown or deleted entry', () => {
    dlqSpec.given([]).when(retry()).then({ error: 'NotFoundError', code: 'dlq_entry_not_found' });
    const deleted = [addedEvent(), { type: 'DlqEntryDeleted' as const, data: { keys: dlqKeys, by: 'x', at: T0 } }];
    dlqSpec.given(deleted).when(retry()).then({ error: 'NotFoundError', code: 'dlq_entry_deleted' });
  });
});

describe('DeleteDlqEntry', () => {
  it('marks the entry deleted and keeps its content', () => {
    const { state } = dlqSpec
      .given([addedEvent()])
      .when(remove())
      .then([{ type: 'DlqEntryDeleted', data: { keys: dlqKeys, by: 'api:key-1', at: DLQ_AT + 2_000 } }]);
    expect(state).toMatchObject({ status: 'DELETED', deleted_at: DLQ_AT + 2_000, reason_code: 'boom', job_id: JOB_ID });
  });

  it('is idempotent, and refuses an unknown entry', () => {
    const deleted = [addedEvent(), { type: 'DlqEntryDeleted' as const, data: { keys: dlqKeys, by: 'x', at: T0 } }];
    dlqSpec.given(deleted).when(remove()).then({ ignored: 'already_deleted' });
    dlqSpec.given([]).when(remove()).then({ error: 'NotFoundError', code: 'dlq_entry_not_found' });
  });
});

describe('DLQ properties', () => {
  const arbDlqEvent = fc.oneof(
    fc.constant(addedEvent()),
    fc.record({ n: fc.integer({ min: 1, max: 3 }), at: fc.nat() }).map(({ n, at }): DlqEvent => ({
      type: 'DlqRetried',
      data: { keys: dlqKeys, n, new_job_id: `${JOB_ID}.r${n}`, by: 'x', at },
    })),
    fc.nat().map((at): DlqEvent => ({ type: 'DlqEntryDeleted', data: { keys: dlqKeys, by: 'x', at } })),
  );

  it('evolve is total, and a deleted entry never changes again', () => {
    fc.assert(
      fc.property(fc.array(arbDlqEvent, { maxLength: 20 }), (events) => {
        let state = foldDlq([]);
        for (const event of events) {
          const next = evolveDlq(state, event);
          if (state.status === 'DELETED') expect(next).toBe(state);
          state = next;
        }
      }),
    );
  });

  it('any number of retries records one DlqRetried and always answers the same job id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), (times) => {
        let state = foldDlq([addedEvent()]);
        const answers = new Set<string | undefined>();
        let recorded = 0;
        for (let i = 0; i < times; i++) {
          const result = decideDlq(retry(DLQ_AT + i), state);
          if (result instanceof Error) throw result;
          answers.add(result.new_job_id);
          recorded += result.events.length;
          state = foldDlq(result.events, state);
        }
        expect(recorded).toBe(1);
        expect([...answers]).toEqual([`${JOB_ID}.r1`]);
      }),
    );
  });
});
