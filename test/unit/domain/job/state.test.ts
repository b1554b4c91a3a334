/**
 * The state predicates and the structural check a snapshot's state must pass before evolve installs it
 * (state.ts). Each broken candidate below breaks exactly one thing of a state that passes.
 */
import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../../src/domain/job/state.ts';
import {
  isInFlight,
  isLive,
  isTerminalState,
  looksLikeJobState,
  NO_JOB,
  statusOf,
} from '../../../../src/domain/job/state.ts';
import { accepted, cancel, preempt, safety, schedule, stateAfter, submit, T0 } from '../../../support/job-fixtures.ts';

/** Built inside each test (not while the file loads), so mutation testing credits these tests. */
const states = (): Record<string, JobState> => ({
  NONE: NO_JOB,
  PENDING: stateAfter(submit()),
  APPROVAL_REQUIRED: stateAfter(
    submit(),
    schedule({ safety: { kind: 'decided', decision: safety('REQUIRE_APPROVAL') } }),
  ),
  SCHEDULED: stateAfter(submit(), schedule()),
  DISPATCHED: stateAfter(submit(), schedule(), accepted()),
  RUNNING: stateAfter(submit(), schedule(), accepted('w1', T0 + 4)),
  CANCELLED: stateAfter(submit(), cancel()),
  PREEMPTED: stateAfter(preempt()),
});

describe('state predicates', () => {
  it.each([
    ['NONE', false, false, false, null],
    ['PENDING', true, false, false, 'PENDING'],
    ['APPROVAL_REQUIRED', true, false, false, 'APPROVAL_REQUIRED'],
    ['SCHEDULED', true, false, true, 'SCHEDULED'],
    ['DISPATCHED', true, false, true, 'DISPATCHED'],
    ['RUNNING', true, false, true, 'RUNNING'],
    ['CANCELLED', false, true, false, 'CANCELLED'],
    ['PREEMPTED', false, true, false, 'CANCELLED'],
  ] as const)('%s: live %s, terminal %s, in flight %s, status %s', (name, live, terminal, inFlight, status) => {
    const state = states()[name] as JobState;
    expect(isLive(state)).toBe(live);
    expect(isTerminalState(state)).toBe(terminal);
    expect(isInFlight(state)).toBe(inFlight);
    expect(statusOf(state)).toBe(status);
  });
});

describe('looksLikeJobState', () => {
  it('accepts every state evolve builds, and not the "no job" state', () => {
    for (const [name, state] of Object.entries(states())) {
      expect(looksLikeJobState(state), name).toBe(name !== 'NONE');
    }
  });

  const broken = (name: string, patch: Record<string, unknown>): [string, () => unknown] => [
    `${name} with ${JSON.stringify(patch, (_key, value: unknown) => (value === undefined ? '<absent>' : value))}`,
    () => ({ ...states()[name], ...patch }),
  ];

  it.each([
    ['null', () => null],
    ['a string', () => 'PENDING'],
    broken('PENDING', { status: undefined }),
    broken('PENDING', { status: 3 }),
    broken('PENDING', { status: 'DONE' }),
    broken('SCHEDULED', { status: 'DONE' }),
    broken('PENDING', { keys: undefined }),
    broken('PENDING', { keys: null }),
    broken('CANCELLED', { keys: null }),
    broken('CANCELLED', { due_at: T0 }),
    broken('PENDING', { request: undefined }),
    broken('PENDING', { request: null }),
    broken('PENDING', { due_at: null }),
    broken('PENDING', { due_at: '1700000000000' }),
    broken('PENDING', { due_at: Number.POSITIVE_INFINITY }),
    broken('PENDING', { hold: undefined }),
    broken('PENDING', { hold: null }),
    broken('APPROVAL_REQUIRED', { approval_request: undefined }),
    broken('SCHEDULED', { attempt: undefined }),
    broken('SCHEDULED', { attempt: '1' }),
    broken('RUNNING', { token: undefined }),
    broken('DISPATCHED', { token: 7 }),
  ])('refuses %s', (_label, candidate) => {
    expect(looksLikeJobState(candidate())).toBe(false);
  });
});
