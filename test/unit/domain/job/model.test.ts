/**
 * Model-based runs (ARCHITECTURE.md section 7): generated command sequences, races included, against
 * the model of test/support/job-model.ts and the SPEC 1.2 tables of job-transitions.ts, written apart
 * from the decider. Each outcome must be the model's prediction, every transition legal, and after every
 * step the invariants hold (replay, one due time, attempts within max_attempts, one terminal event).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../../../src/domain/job/decide.ts';
import type { JobEvent } from '../../../../src/domain/job/events.ts';
import { evolve, fold } from '../../../../src/domain/job/evolve.ts';
import type { JobState } from '../../../../src/domain/job/state.ts';
import { NO_JOB } from '../../../../src/domain/job/state.ts';
import type { JobSubmissionInput } from '../../../../src/domain/job/submission.ts';
import { arbStep, arbSubmission, commandOf, type Step } from '../../../support/job-arbitraries.ts';
import { submit } from '../../../support/job-fixtures.ts';
import { JobModel } from '../../../support/job-model.ts';
import { EVENT_TRANSITIONS, isDone, LEGAL, TERMINAL } from '../../../support/job-transitions.ts';

interface RealJob {
  state: JobState;
  history: JobEvent[];
}

function checkInvariants(model: JobModel, real: RealJob): void {
  const state = real.state;
  expect(state.status).toBe(model.status);
  expect(fold(real.history), 'replaying the history gives the same state').toEqual(state);
  expect(model.terminalEvents).toBeLessThanOrEqual(1);
  if (state.status === 'NONE') return;
  if (isDone(state.status)) {
    expect(state.due_at).toBeNull();
    return;
  }
  expect(Number.isFinite(state.due_at), 'every live job has exactly one due time').toBe(true);
  if (state.status === 'CANCELLED' || isDone(state.status)) return;
  if (state.max_attempts !== null) {
    expect(state.attempts).toBeLessThanOrEqual(state.max_attempts);
    if ('attempt' in state) expect(state.attempt).toBeLessThanOrEqual(state.max_attempts);
  }
  if ('attempt' in state) expect(state.attempt).toBe(state.attempts + 1);
  expect(state.attempts).toBe(model.attemptsUsed);
  const f = model.flight;
  expect('attempt' in state).toBe(f !== null);
  if (f === null || !('attempt' in state)) return;
  expect({ attempt: state.attempt, token: state.token, dispatch_deadline_at: state.dispatch_deadline_at }).toEqual({
    attempt: f.attempt,
    token: f.token,
    dispatch_deadline_at: f.dispatchDeadline,
  });
  if (state.status !== 'SCHEDULED') expect(state.worker_id).toBe(f.holder);
  if (state.status === 'RUNNING') expect(state.running_deadline_at).toBe(f.runningDeadline);
}

class StepCommand implements fc.Command<JobModel, RealJob> {
  readonly step: Step;
  constructor(step: Step) {
    this.step = step;
  }
  check(): boolean {
    return true;
  }
  run(model: JobModel, real: RealJob): void {
    const step = this.step;
    const command = commandOf(step, model.view(), `tok-${model.tokens.length + 1}`);
    if (command === null) {
      if (step.kind === 'tick') model.now += step.ms;
      if (step.kind === 'jump_to_due') {
        const due = model.nextDue();
        if (due !== null) {
          expect(real.state.status !== 'NONE' && real.state.due_at, 'the job’s due time is the model’s').toBe(due);
          model.now = Math.max(model.now, due);
        }
      }
      return;
    }
    const predicted = model.predict(step, command);
    const result = decide(command, real.state);
    if (predicted.kind === 'error') {
      expect(result, `${command.type} should be refused`).toMatchObject({ name: predicted.name });
      return;
    }
    if (result instanceof Error) throw new Error(`${command.type} was refused: ${result.message}`);
    expect(result.events.length).toBeLessThanOrEqual(1);
    const [event] = result.events;
    if (predicted.kind === 'ignored') {
      expect(event, `${command.type} should change nothing`).toBeUndefined();
      expect(result.stop ?? null).toEqual(predicted.stop);
      checkInvariants(model, real);
      return;
    }
    if (event === undefined)
      throw new Error(`${command.type} should have recorded ${predicted.status} (${result.ignored})`);
    const from = event.data.status_before ?? 'NONE';
    const to = event.data.status_after;
    expect(from).toBe(model.status);
    expect(to).toBe(predicted.status);
    expect(LEGAL[from]).toContain(to);
    if (event.type !== 'JobArchived') expect(EVENT_TRANSITIONS[event.type]).toContain(`${from}>${to}`);
    expect(event.data.keys).toEqual(real.history[0]?.data.keys);
    expect(event.data.deadline_at).toBe(model.deadlineAt);
    expect(isDone(to) ? null : 'due').toBe(event.data.due_at === null ? null : 'due');
    model.accept(command, event);
    real.state = evolve(real.state, event);
    real.history.push(event);
    checkInvariants(model, real);
  }
  toString(): string {
    return JSON.stringify(this.step);
  }
}

function setup(input: JobSubmissionInput): () => { model: JobModel; real: RealJob } {
  return () => {
    const result = decide(submit(input), NO_JOB);
    if (result instanceof Error) throw result;
    const [submitted] = result.events;
    if (submitted?.type !== 'JobSubmitted') throw new Error('submission failed');
    const model = new JobModel(submitted.data.request);
    expect(submitted.data.due_at).toBe(model.dueAt);
    expect(submitted.data.deadline_at).toBe(model.deadlineAt);
    return { model, real: { state: evolve(NO_JOB, submitted), history: [submitted] } };
  };
}

describe('job decider against an independent model', () => {
  it('follows the model through generated runs, races included, never reaching an illegal state', () => {
    fc.assert(
      fc.property(
        arbSubmission,
        fc.commands([arbStep.map((step) => new StepCommand(step))], { maxCommands: 60, size: 'max' }),
        (input, commands) => {
          fc.modelRun(setup(input), commands);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('the generated runs reach every status and the race shapes (so the property above means something)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(arbSubmission, fc.array(arbStep, { maxLength: 60, size: 'max' }), (input, steps) => {
        const { model, real } = setup(input)();
        for (const step of steps) {
          const before = model.status;
          const view = model.view();
          const lastBefore = real.history.at(-1);
          const length = real.history.length;
          const command = commandOf(step, view, `tok-${model.tokens.length + 1}`);
          new StepCommand(step).run(model, real);
          const recorded = real.history.length > length;
          seen.add(model.status);
          if (command?.type === 'CancelJob' && before === 'SCHEDULED') seen.add('cancel while scheduled');
          if (command?.type !== 'RecordReport' || command.kind !== 'result') continue;
          if (recorded && before === 'SCHEDULED') seen.add('result before the hand-off is recorded');
          if (recorded && command.status === 'CANCELLED') seen.add('worker-reported CANCELLED');
          if (recorded) continue;
          if (command.attempt < view.attempt) seen.add('result for an old attempt');
          if (view.holder !== null && command.worker_id !== view.holder) seen.add('result from a non-holder');
          if (lastBefore?.type === 'JobAttemptTimedOut') seen.add('late result after a timeout');
        }
      }),
      // A fixed seed: this checks what the generators can produce, so it must not depend on the draw.
      { numRuns: 400, seed: 20261123 },
    );
    for (const status of ['PENDING', 'APPROVAL_REQUIRED', 'SCHEDULED', 'DISPATCHED', 'RUNNING', ...TERMINAL]) {
      expect(seen, status).toContain(status);
    }
    for (const race of [
      'result before the hand-off is recorded',
      'result for an old attempt',
      'result from a non-holder',
      'cancel while scheduled',
      'late result after a timeout',
      'worker-reported CANCELLED',
    ]) {
      expect(seen, race).toContain(race);
    }
  });
});
