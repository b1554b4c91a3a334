/**
 * Given/when/then for deciders (ARCHITECTURE.md section 7):
 *
 *   spec.given(events).when(command).then(expectedEvents)
 *   spec.given(events).when(command).then({ error: 'ConflictError', code: 'job_exists' })
 *   spec.given(events).when(command).then({ ignored: 'terminal', stop: {...} })
 *
 * `then` asserts, then returns the decision and the state after its events, for further checks.
 * Expected events are compared with `toEqual`, so asymmetric matchers (`expect.objectContaining`) work.
 */
import { expect } from 'vitest';

interface DecisionShape<E> {
  readonly events: readonly E[];
  readonly ignored?: string;
}

export interface Decider<S, E, C, D extends DecisionShape<E>> {
  readonly initialState: S;
  evolve(state: S, event: E): S;
  decide(command: C, state: S): D | Error;
}

export interface ErrorExpectation {
  readonly error: 'ValidationError' | 'ConflictError' | 'NotFoundError';
  readonly code?: string;
  readonly field?: string;
}

export interface IgnoredExpectation {
  readonly ignored: string;
  /** Present: the stop must equal it (`undefined` = no stop). Absent: not checked. */
  readonly stop?: unknown;
}

export type Expectation<E> = readonly E[] | ErrorExpectation | IgnoredExpectation;

export interface Outcome<S, D> {
  readonly decision: D;
  readonly state: S;
}

export function deciderSpec<S, E, C, D extends DecisionShape<E>>(decider: Decider<S, E, C, D>) {
  return {
    given(history: readonly E[]) {
      const state = history.reduce((current, event) => decider.evolve(current, event), decider.initialState);
      return {
        state,
        when(command: C) {
          const result = decider.decide(command, state);
          return {
            result,
            // `then` is the spec vocabulary (given/when/then); this object is never awaited.
            then(expected: Expectation<E>): Outcome<S, D> {
              if (!Array.isArray(expected) && 'error' in expected) {
                const error = expected;
                expect(result, 'expected a domain error').toBeInstanceOf(Error);
                const actual = result as Error & { code?: string; field?: string };
                expect(actual.name).toBe(error.error);
                // The message is the problem+json `detail` a client reads: it must say something.
                expect(actual.message, 'the error explains itself').not.toBe('');
                if (error.code !== undefined) expect(actual.code).toBe(error.code);
                if (error.field !== undefined) expect(actual.field).toBe(error.field);
                return { decision: result as unknown as D, state };
              }
              if (result instanceof Error) {
                throw new Error(`expected a decision, got ${result.name}: ${result.message}`);
              }
              if (Array.isArray(expected)) {
                expect(result.events).toEqual(expected);
                if (expected.length > 0) expect(result.ignored).toBeUndefined();
              } else {
                const ignored = expected as IgnoredExpectation;
                expect(result.events).toEqual([]);
                expect(result.ignored).toBe(ignored.ignored);
                if ('stop' in ignored) expect((result as { stop?: unknown }).stop).toEqual(ignored.stop);
              }
              const after = result.events.reduce((current, event) => decider.evolve(current, event), state);
              return { decision: result, state: after };
            },
          };
        },
      };
    },
  };
}
