/** SPEC 1.9, 1.10: a bulk operation's request, forward-only progress and finish, one event each. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideOperation,
  evolveOperation,
  NO_OPERATION,
  type OperationCommand,
  type OperationDecision,
  type OperationEvent,
  type OperationState,
} from '../../../../src/domain/operation/operation.ts';
import { deciderSpec } from '../../../support/decider-spec.ts';

const spec = deciderSpec<OperationState, OperationEvent, OperationCommand, OperationDecision>({
  initialState: NO_OPERATION,
  evolve: evolveOperation,
  decide: decideOperation,
});

const T0 = 1_700_000_000_000;
const keys = { operation_id: 'op-1', kind: 'bulk_cancel' as const, created_at: T0 };
const filter = { state: 'PENDING', topic: 'job.default' };

const request = (overrides: Partial<Extract<OperationCommand, { type: 'RequestOperation' }>> = {}) =>
  ({
    type: 'RequestOperation',
    operation_id: 'op-1',
    kind: 'bulk_cancel',
    filter,
    reason: 'drain',
    by: 'api:key-1',
    now: T0,
    ...overrides,
  }) as const;
const progress = (processed: number, cursor: string | null = `c${processed}`, changed = processed, failed = 0) =>
  ({ type: 'RecordOperationProgress', processed, changed, failed, cursor }) as const;
const finish = (status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED', error: string | null = null, now = T0 + 5_000) =>
  ({ type: 'FinishOperation', status, error, now }) as const;

const requested: OperationEvent = {
  type: 'OperationRequested',
  data: { keys, filter, reason: 'drain', requested_by: 'api:key-1' },
};
const progressed = (processed: number, cursor: string | null = `c${processed}`): OperationEvent => ({
  type: 'OperationProgressed',
  data: { keys, processed, changed: processed, failed: 0, cursor },
});
const finished = (status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED', error: string | null = null): OperationEvent => ({
  type: 'OperationFinished',
  data: { keys, status, error, at: T0 + 5_000 },
});

describe('RequestOperation', () => {
  it('records the request with its keys, filter, reason and who asked, and starts RUNNING at zero', () => {
    const { state } = spec.given([]).when(request()).then([requested]);
    expect(state).toEqual({
      status: 'RUNNING',
      keys,
      filter,
      reason: 'drain',
      requested_by: 'api:key-1',
      processed: 0,
      changed: 0,
      failed: 0,
      cursor: null,
      error: null,
      finished_at: null,
    });
  });

  it('keeps the kind it was asked for', () => {
    spec
      .given([])
      .when(request({ kind: 'bulk_dlq_retry', reason: null }))
      .then([
        {
          type: 'OperationRequested',
          data: { keys: { ...keys, kind: 'bulk_dlq_retry' }, filter, reason: null, requested_by: 'api:key-1' },
        },
      ]);
  });

  it.each([
    ['running', [requested]],
    ['finished', [requested, finished()]],
  ])('refuses an id already used by a %s operation', (_, history) => {
    spec.given(history).when(request()).then({ error: 'ConflictError', code: 'operation_exists' });
  });
});

describe('RecordOperationProgress', () => {
  it('records the counts and where the next page starts', () => {
    const { state } = spec
      .given([requested])
      .when(progress(50, 'page-2', 48, 2))
      .then([
        {
          type: 'OperationProgressed',
          data: { keys, processed: 50, changed: 48, failed: 2, cursor: 'page-2' },
        },
      ]);
    expect(state).toMatchObject({ status: 'RUNNING', processed: 50, changed: 48, failed: 2, cursor: 'page-2' });
  });

  it('records the last page, with no cursor after it', () => {
    const { state } = spec
      .given([requested, progressed(50)])
      .when(progress(60, null))
      .then([progressed(60, null)]);
    expect(state).toMatchObject({ processed: 60, cursor: null });
  });

  it('ignores a replayed page: progress only moves forward', () => {
    spec
      .given([requested, progressed(50)])
      .when(progress(50))
      .then([]);
    spec
      .given([requested, progressed(50)])
      .when(progress(10))
      .then([]);
    spec.given([requested]).when(progress(0)).then([]);
  });

  it('is refused for an unknown operation and ignored once it finished', () => {
    spec.given([]).when(progress(1)).then({ error: 'NotFoundError', code: 'operation_not_found' });
    spec.given([requested, finished()]).when(progress(100)).then([]);
  });
});

describe('FinishOperation', () => {
  it('records success with when it finished', () => {
    const { state } = spec
      .given([requested, progressed(10)])
      .when(finish())
      .then([finished()]);
    expect(state).toMatchObject({ status: 'SUCCEEDED', error: null, finished_at: T0 + 5_000, processed: 10 });
  });

  it('records a failure with its error', () => {
    const { state } = spec
      .given([requested])
      .when(finish('FAILED', 'list unavailable'))
      .then([finished('FAILED', 'list unavailable')]);
    expect(state).toMatchObject({ status: 'FAILED', error: 'list unavailable', finished_at: T0 + 5_000 });
  });

  it('finishes once: a second finish changes nothing', () => {
    spec.given([requested, finished()]).when(finish('FAILED', 'late')).then([]);
    spec.given([]).when(finish()).then({ error: 'NotFoundError', code: 'operation_not_found' });
  });
});

describe('evolveOperation', () => {
  it('ignores progress and finish events for an operation that is not running', () => {
    expect(evolveOperation(NO_OPERATION, progressed(5))).toBe(NO_OPERATION);
    expect(evolveOperation(NO_OPERATION, finished())).toBe(NO_OPERATION);
    const done = [requested, finished()].reduce(evolveOperation, NO_OPERATION);
    expect(evolveOperation(done, progressed(5))).toBe(done);
    expect(evolveOperation(done, finished('FAILED', 'again'))).toBe(done);
  });

  it('ignores an event type it does not know (a newer writer)', () => {
    const running = evolveOperation(NO_OPERATION, requested);
    expect(evolveOperation(running, { type: 'OperationPaused', data: {} } as unknown as OperationEvent)).toBe(running);
  });

  it('property: processed never decreases, whatever progress reports arrive', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000 }), { maxLength: 30 }), (reports) => {
        let state = evolveOperation(NO_OPERATION, requested);
        let high = 0;
        for (const processed of reports) {
          const decision = decideOperation(progress(processed), state);
          if (decision instanceof Error) throw decision;
          expect(decision.events.length).toBe(processed > high ? 1 : 0);
          state = decision.events.reduce(evolveOperation, state);
          high = Math.max(high, processed);
          expect(state).toMatchObject({ processed: high });
        }
      }),
    );
  });
});
