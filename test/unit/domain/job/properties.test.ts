/**
 * Properties of the job decider (ARCHITECTURE.md section 7) over generated runs that include the race
 * shapes (see job-arbitraries.ts). The model-based runs are in model.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../src/domain/job/backoff.ts';
import type { JobCommand } from '../../../../src/domain/job/commands.ts';
import { decide } from '../../../../src/domain/job/decide.ts';
import type { JobEvent } from '../../../../src/domain/job/events.ts';
import { isTerminal } from '../../../../src/domain/job/events.ts';
import { evolve, fold } from '../../../../src/domain/job/evolve.ts';
import type { JobState } from '../../../../src/domain/job/state.ts';
import { isTerminalState, NO_JOB } from '../../../../src/domain/job/state.ts';
import { arbStep, arbSubmission, commandOf } from '../../../support/job-arbitraries.ts';
import { arbJobEvent } from '../../../support/job-event-arbitraries.ts';
import { accepted, report, schedule, submit, T0 } from '../../../support/job-fixtures.ts';
import { arbRun } from '../../../support/job-runs.ts';

const arbReachableState = arbRun.chain((run) => fc.constantFrom(NO_JOB, ...run.states));

/** The fields of each status's state, written out here (not taken from the decider's types). */
const CORE = [
  'keys',
  'request',
  'due_at',
  'deadline_at',
  'attempts',
  'max_attempts',
  'safety',
  'approval',
  'dispatch_failures',
  'last_error',
  'worker_id',
];
const FLIGHT = ['attempt', 'target', 'token', 'limits', 'dispatch_deadline_at'];
const FIELDS: Record<string, readonly string[]> = {
  NONE: [],
  PENDING: [...CORE, 'hold'],
  APPROVAL_REQUIRED: [...CORE, 'approval_request'],
  SCHEDULED: [...CORE, ...FLIGHT],
  DISPATCHED: [...CORE, ...FLIGHT],
  RUNNING: [...CORE, ...FLIGHT, 'started_at', 'running_deadline_at'],
};
const FINISHED = [
  'preempted',
  'keys',
  'request',
  'due_at',
  'deadline_at',
  'attempts',
  'max_attempts',
  'safety',
  'worker_id',
  'error',
  'result',
  'result_ptr',
  'execution_ms',
  'cancellation',
  'archive_ref',
];
const PREEMPTED = ['preempted', 'keys', 'due_at', 'deadline_at', 'reason', 'archive_ref'];

/** Exactly the fields of its status, no leftovers of another: the state is one the union allows. */
function hasItsShape(state: JobState): void {
  const expected =
    state.status === 'NONE' || !isTerminal(state.status)
      ? FIELDS[state.status]
      : 'preempted' in state && state.preempted
        ? PREEMPTED
        : FINISHED;
  expect(
    Object.keys(state)
      .filter((key) => key !== 'status')
      .sort(),
  ).toEqual([...(expected ?? ['?'])].sort());
}

function wellFormed(state: JobState): void {
  hasItsShape(state);
  if (state.status === 'NONE') return;
  if (isTerminal(state.status)) expect(state.due_at).toBeNull();
  else expect(Number.isFinite(state.due_at)).toBe(true);
}

describe('job decider properties', () => {
  it('evolve is total: any event on any reachable state never throws and leaves a well-formed state', () => {
    fc.assert(
      fc.property(arbReachableState, arbJobEvent(arbReachableState), (state, event) => {
        const next = evolve(state, event);
        hasItsShape(next);
        // A terminal job never changes again, archiving aside.
        if (isTerminalState(state) && event.type !== 'JobArchived') expect(next).toBe(state);
      }),
      { numRuns: 3_000 },
    );
  });

  it('evolve is total on sequences of arbitrary events too', () => {
    fc.assert(
      fc.property(fc.array(arbJobEvent(arbReachableState), { maxLength: 30 }), (events) => {
        hasItsShape(fold(events));
      }),
      { numRuns: 300 },
    );
  });

  it('decide never throws, yields at most one event, and that event starts from the current status', () => {
    fc.assert(
      fc.property(arbRun, (run) => {
        for (const { command, state } of run.decided) {
          const result = decide(command, state);
          if (result instanceof Error) continue;
          expect(result.events.length).toBeLessThanOrEqual(1);
          const [event] = result.events;
          if (event === undefined) {
            expect(result.ignored).toBeDefined();
            continue;
          }
          expect(event.data.status_before).toBe(state.status === 'NONE' ? null : state.status);
          wellFormed(evolve(state, event));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('terminal states absorb: once finished, nothing records another event', () => {
    fc.assert(
      fc.property(arbRun, (run) => {
        for (const { command, state } of run.decided) {
          if (!isTerminalState(state)) continue;
          const result = decide(command, state);
          if (!(result instanceof Error)) expect(result.events).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a job has at most one terminal event, and every live state exactly one due time', () => {
    fc.assert(
      fc.property(arbRun, (run) => {
        const terminal = run.history.filter((e) => isTerminal(e.data.status_after) && e.type !== 'JobArchived');
        expect(terminal.length).toBeLessThanOrEqual(1);
        if (terminal.length === 1) expect(run.history.at(-1)).toBe(terminal[0]);
        for (const event of run.history) expect(event.data.due_at === null).toBe(isTerminal(event.data.status_after));
        run.states.forEach(wellFormed);
      }),
      { numRuns: 300 },
    );
  });

  it('attempts never exceed max_attempts', () => {
    fc.assert(
      fc.property(arbRun, (run) => {
        for (const state of run.states) {
          if (state.status === 'NONE' || !('max_attempts' in state) || state.max_attempts === null) continue;
          expect(state.attempts).toBeLessThanOrEqual(state.max_attempts);
          if ('attempt' in state) expect(state.attempt).toBeLessThanOrEqual(state.max_attempts);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('replaying the history (also after a JSON round trip) reproduces the state', () => {
    fc.assert(
      fc.property(arbRun, (run) => {
        const last = run.states.at(-1);
        expect(fold(run.history)).toEqual(last);
        expect(fold(JSON.parse(JSON.stringify(run.history)) as JobEvent[])).toEqual(last);
      }),
      { numRuns: 300 },
    );
  });

  it('a snapshot of any live state restores it exactly, and a load from it decides as a full load does', () => {
    fc.assert(
      fc.property(arbRun, arbStep, (run, step) => {
        for (const [index, state] of run.states.entries()) {
          if (state.status === 'NONE' || isTerminalState(state)) continue;
          const result = decide({ type: 'TakeSnapshot', now: T0 }, state);
          if (result instanceof Error) throw result;
          const [snapshot] = result.events;
          if (snapshot === undefined) throw new Error('a live job is always snapshotted');
          const stored = JSON.parse(JSON.stringify(snapshot)) as JobEvent;
          expect(fold([stored])).toEqual(state);
          const command = commandOf(
            step,
            { now: T0 + index, currentToken: 'tok-1', previousToken: null, attempt: 1, holder: 'w1', approval: null },
            'tok-x',
          );
          if (command !== null) expect(decide(command, fold([stored]))).toEqual(decide(command, state));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the happy path is exactly 4 events, whatever the submission', () => {
    const arbHappy = fc.record({
      input: arbSubmission,
      worker: fc.constantFrom('w1', 'w2', 'gpu-7'),
      status: fc.constantFrom('SUCCEEDED', 'COMPLETED'),
    });
    fc.assert(
      fc.property(arbHappy, ({ input, worker, status }) => {
        const submitted = decide(submit(input), NO_JOB);
        if (submitted instanceof Error) throw submitted;
        let state = fold(submitted.events);
        if (state.status !== 'PENDING') throw new Error('not submitted');
        const at = state.due_at;
        const commands: JobCommand[] = [
          schedule({ now: at, placement: { kind: 'worker', worker_id: worker, pool: 'default' } }),
          accepted(worker, at + 1, { now: at + 1 }),
          report({ worker_id: worker, status, now: at + 2 }),
        ];
        const events = [...submitted.events];
        for (const command of commands) {
          const result = decide(command, state);
          if (result instanceof Error) throw result;
          events.push(...result.events);
          state = fold(result.events, state);
        }
        expect(events.map((e) => e.type)).toEqual(['JobSubmitted', 'JobScheduled', 'JobDispatched', 'JobSucceeded']);
        expect(events.map((e) => e.data.status_after)).toEqual(['PENDING', 'SCHEDULED', 'RUNNING', 'SUCCEEDED']);
        expect(state.status).toBe('SUCCEEDED');
      }),
      { numRuns: 200 },
    );
  });
});

describe('backoff', () => {
  const arbPolicy = fc.record({
    initial_backoff_ms: fc.integer({ min: 0, max: 100_000 }),
    max_backoff_ms: fc.integer({ min: 0, max: 1_000_000 }),
    multiplier: fc.double({ min: 1, max: 100, noNaN: true }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it('is a whole number of ms between (1 − jitter) of the capped delay and the capped delay, for any attempt', () => {
    fc.assert(
      fc.property(
        arbPolicy,
        fc.integer({ min: 1, max: 5_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (policy, n, draw) => {
          const delay = backoffDelay(policy, n, draw);
          const raw = policy.initial_backoff_ms * policy.multiplier ** (n - 1);
          const capped =
            policy.initial_backoff_ms === 0
              ? 0
              : Math.min(Number.isFinite(raw) ? raw : Number.POSITIVE_INFINITY, policy.max_backoff_ms);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeLessThanOrEqual(Math.round(capped));
          expect(delay).toBeGreaterThanOrEqual(Math.floor(capped * (1 - policy.jitter)));
        },
      ),
    );
  });

  it('is never negative nor NaN, and at most a finite cap, whatever the inputs (NaN included)', () => {
    const anyNumber = fc.oneof(fc.double(), fc.integer({ min: -1_000, max: 100_000 }), fc.constant(Number.NaN));
    const policy = (initial: number, max: number) => ({
      initial_backoff_ms: initial,
      max_backoff_ms: max,
      multiplier: 2,
      jitter: 0,
    });
    fc.assert(
      fc.property(
        fc.record({
          initial_backoff_ms: anyNumber,
          max_backoff_ms: anyNumber,
          multiplier: anyNumber,
          jitter: anyNumber,
        }),
        fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.double()),
        anyNumber,
        (policy, n, draw) => {
          const delay = backoffDelay(policy, n, draw);
          expect(delay).toBeGreaterThanOrEqual(0);
          if (!Number.isFinite(policy.max_backoff_ms)) return;
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeLessThanOrEqual(Math.max(0, policy.max_backoff_ms));
        },
      ),
      {
        examples: [
          [policy(Number.NaN, 100), 1, 0],
          [policy(100, Number.NaN), 1, 0],
          [policy(100, 1_000), Number.NaN, 0],
        ],
      },
    );
    // A NaN cap counts as no room at all; a NaN initial backoff as none.
    expect(backoffDelay(policy(100, Number.NaN), 3, 0)).toBe(0);
    expect(backoffDelay(policy(Number.NaN, 1_000), 3, 0)).toBe(0);
  });

  it('is no delay at all when the initial backoff is zero, even for a huge attempt number', () => {
    const policy = { initial_backoff_ms: 0, max_backoff_ms: 60_000, multiplier: 2, jitter: 0 };
    expect(backoffDelay(policy, 10_000, 0)).toBe(0);
  });

  it('reads a jitter or a draw outside [0, 1] as its nearest end', () => {
    const policy = { initial_backoff_ms: 1_000, max_backoff_ms: 60_000, multiplier: 2, jitter: 0.5 };
    expect(backoffDelay(policy, 1, 0)).toBe(1_000);
    expect(backoffDelay(policy, 1, -1)).toBe(1_000);
    expect(backoffDelay(policy, 1, Number.NaN)).toBe(1_000);
    expect(backoffDelay(policy, 1, 2)).toBe(500);
    expect(backoffDelay({ ...policy, jitter: -1 }, 1, 0.9)).toBe(1_000);
    expect(backoffDelay({ ...policy, jitter: Number.NaN }, 1, 0.9)).toBe(1_000);
    expect(backoffDelay({ ...policy, jitter: 3 }, 1, 0.25)).toBe(750);
  });

  it('never shrinks from one attempt to the next without jitter', () => {
    fc.assert(
      fc.property(arbPolicy, fc.integer({ min: 1, max: 2_000 }), (policy, n) => {
        const still = { ...policy, jitter: 0 };
        expect(backoffDelay(still, n + 1, 0.7)).toBeGreaterThanOrEqual(backoffDelay(still, n, 0.7));
      }),
    );
  });
});
