import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStepJobId } from '../../../../src/domain/shared/ids.ts';
import { partitionOf, streamId } from '../../../../src/domain/shared/stream.ts';
import type { RunCommand } from '../../../../src/domain/workflow/run-commands.ts';
import { decideRun } from '../../../../src/domain/workflow/run-decide.ts';
import type { RunEvent } from '../../../../src/domain/workflow/run-events.ts';
import { applyStepChange, evolveRun } from '../../../../src/domain/workflow/run-evolve.ts';
import { buildRunOutput } from '../../../../src/domain/workflow/run-output.ts';
import {
  type ActiveRun,
  initialRunState,
  jobsInFlight,
  runDueAt,
  runStep,
  type RunState,
} from '../../../../src/domain/workflow/run-state.ts';
import {
  definitionArb,
  inputArb,
  parseSimDefinition,
  SIM_T0,
  type SimWorld,
  simulate,
} from '../../../support/workflow-sim.ts';

const RUNS = 300;

const caseArb = fc.record({ raw: definitionArb, input: inputArb, seed: fc.integer() });

// The oracles spell the statuses out rather than ask the code under test (`isLive`, `isStepDone`).
const LIVE: readonly string[] = ['PENDING', 'RUNNING', 'WAITING'];
const DEPENDENCY_DONE: readonly string[] = ['SUCCEEDED', 'SKIPPED'];

function fold(events: readonly RunEvent[], from: RunState = initialRunState): RunState {
  return events.reduce(evolveRun, from);
}

function active(state: RunState): ActiveRun {
  if (state.status === 'NONE') throw new Error('no run');
  return state;
}

describe('run decider properties over random DAGs', () => {
  it('every run ends in a terminal state once its due times pass (by its run timeout at the latest), and has a due time until then', () => {
    const reached = { runTimedOut: 0, approvalExpired: 0, stepTimedOut: 0, skipped: 0, expressionFailed: 0 };
    fc.assert(
      // `silent`: no job and no approver ever answers, so only the due times can end the run.
      fc.property(caseArb, fc.boolean(), ({ raw, input, seed }, silent) => {
        const world = simulate(parseSimDefinition(raw), input, {
          seed,
          cancelChance: 0,
          silent,
          onEvent: (event, _before, sim) => {
            // A live run always has something that will wake it: nothing can sit forever.
            expect(event.data.due_at === null).toBe(!LIVE.includes(sim.state.status));
            if (event.type === 'RunTimersFired') {
              for (const timer of event.data.fired) {
                if (timer.kind === 'run_timeout') reached.runTimedOut += 1;
                if (timer.kind === 'approval_expired') reached.approvalExpired += 1;
                if (timer.kind === 'step_timeout') reached.stepTimedOut += 1;
              }
            }
            for (const change of event.data.changes) {
              if (change.type !== 'step_settled') continue;
              if (change.status === 'SKIPPED') reached.skipped += 1;
              if (change.error?.code === 'expression_error') reached.expressionFailed += 1;
            }
          },
        });
        const run = active(world.state);
        expect(['SUCCEEDED', 'FAILED', 'TIMED_OUT']).toContain(run.status);
        if (silent) expect(world.delivered).toEqual([]);
        // The run timeout is a due time of its own: no run outlives it, whatever else it waits for.
        // (From the definition as generated, not from the state, which a bug could have lost it from.)
        if (typeof raw.timeout_ms === 'number' && 'ended_at' in run) {
          expect(run.ended_at).toBeLessThanOrEqual(SIM_T0 + raw.timeout_ms);
        }
        // Terminal all the way down: no step or child is left running or pending in an ended run.
        for (const step of Object.values(run.steps)) {
          expect(LIVE).not.toContain(step.status);
          for (const unit of step.units) expect(['PENDING', 'RUNNING']).not.toContain(unit.status);
        }
      }),
      { numRuns: RUNS },
    );
    // The generator must reach every way a run ends by itself, not only the happy ones.
    for (const [shape, count] of Object.entries(reached)) expect(count, shape).toBeGreaterThan(5);
  });

  it('no step starts, runs a job or settles by itself before all its dependencies are SUCCEEDED or SKIPPED', () => {
    fc.assert(
      fc.property(caseArb, ({ raw, input, seed }) => {
        simulate(parseSimDefinition(raw), input, {
          seed,
          cancelChance: 0.02,
          onEvent: (event, before) => {
            if (event.type === 'RunStarted') return; // reused outcomes of a rerun, none here
            let state = active(before);
            for (const change of event.data.changes) {
              // The one change a step may take before its dependencies are done: CANCELLED as its run ends.
              const byRunEnd =
                change.type === 'step_settled' && change.status === 'CANCELLED' && event.data.outcome !== null;
              if (!byRunEnd) {
                for (const dep of state.definition.steps[change.step_id]?.depends_on ?? []) {
                  const status = runStep(state, dep).status;
                  expect(DEPENDENCY_DONE, `${change.type} of ${change.step_id} while ${dep} is ${status}`).toContain(
                    status,
                  );
                }
              }
              state = applyStepChange(state, change, event.data.at);
            }
          },
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('running children never exceed max_parallel, and the step job ids are unique, parse, and share the run partition', () => {
    fc.assert(
      fc.property(caseArb, ({ raw, input, seed }) => {
        const seen = new Set<string>();
        const runPartition = partitionOf(streamId('run', 'acme', 'run1'), 16);
        simulate(parseSimDefinition(raw), input, {
          seed,
          cancelChance: 0.02,
          onEvent: (event, before) => {
            let state = before.status === 'NONE' ? null : before;
            for (const change of event.data.changes) {
              if (state === null) break;
              state = applyStepChange(state, change, event.data.at);
              if (change.type === 'job_scheduled') {
                expect(seen.has(change.job_id), `job id ${change.job_id} reused`).toBe(false);
                seen.add(change.job_id);
                expect(parseStepJobId(change.job_id)).toEqual({
                  runId: 'run1',
                  stepId: change.step_id,
                  index: change.index,
                  n: change.attempt,
                });
                expect(partitionOf(streamId('job', 'acme', change.job_id), 16)).toBe(runPartition);
              }
              for (const [stepId, step] of Object.entries(state.steps)) {
                const limit = state.definition.steps[stepId]?.max_parallel ?? null;
                if (limit === null) continue;
                expect(step.units.filter((unit) => unit.status === 'RUNNING').length).toBeLessThanOrEqual(limit);
              }
            }
          },
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('replay of the emitted events (as JSON, and from a snapshot) reproduces the run state, and every decision on it', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ raw, input, seed }, cut) => {
        const world = simulate(parseSimDefinition(raw), input, { seed, cancelChance: 0.02 });
        const stored = JSON.parse(JSON.stringify(world.events)) as RunEvent[];
        const replayed = fold(stored);
        expect(replayed).toEqual(world.state);
        // The output the decider announced is the one the replayed steps give.
        if (replayed.status === 'SUCCEEDED') expect(replayed.outcome.output).toEqual(buildRunOutput(replayed));
        // A process manager that restarts rebuilds the run from its stored events and re-decides the
        // inputs it had not acknowledged: each must give the event it gave the first time (or none again).
        let rebuilt: RunState = initialRunState;
        let folded = 0;
        for (const { command, eventsBefore, events } of world.decisions) {
          for (; folded < eventsBefore; folded++) rebuilt = evolveRun(rebuilt, stored[folded] as RunEvent);
          expect(decideRun(JSON.parse(JSON.stringify(command)) as RunCommand, rebuilt)).toEqual(events);
        }
        let state: RunState = initialRunState;
        for (const event of world.events) {
          state = evolveRun(state, event);
          expect(state.status).toBe(event.data.status_after);
          expect(runDueAt(state)).toBe(event.data.due_at);
        }
        const at = cut % world.events.length;
        const head = fold(world.events.slice(0, at + 1));
        const snapshot = decideRun({ type: 'SnapshotRun', now: world.now }, head);
        if (snapshot instanceof Error) throw snapshot;
        const fromSnapshot = fold(world.events.slice(at + 1), fold(JSON.parse(JSON.stringify(snapshot)) as RunEvent[]));
        expect(fromSnapshot).toEqual(world.state);
      }),
      { numRuns: RUNS },
    );
  });

  it('when a run ends (a cancel included), every job in flight is stopped, every decided-but-uncreated job is pre-empted, no step job runs after, and nothing is scheduled after', () => {
    let cancels = 0;
    let cancelsBeforeCreation = 0;
    fc.assert(
      fc.property(caseArb, ({ raw, input, seed }) => {
        const stoppedEarlier = new Set<string>();
        const world: SimWorld = simulate(parseSimDefinition(raw), input, {
          seed,
          cancelChance: 0.1,
          onEvent: (event, before, sim) => {
            if (event.data.outcome !== null) {
              // The decision that ends a run creates no job, not even one it stops at once.
              expect(event.data.changes.filter((change) => change.type === 'job_scheduled')).toEqual([]);
              const stopped = new Set(event.data.stop_jobs.map((job) => job.job_id));
              const answered = new Set(
                event.type === 'RunStepResultsRecorded' ? event.data.outcomes.map((o) => o.job_id) : [],
              );
              for (const job of jobsInFlight(active(before))) {
                if (!answered.has(job.job_id))
                  expect(stopped.has(job.job_id), `${job.job_id} in flight, not stopped`).toBe(true);
              }
              const uncreated = [...sim.decided].filter((id) => !sim.created.has(id) && !stoppedEarlier.has(id));
              for (const jobId of uncreated)
                expect(stopped.has(jobId), `${jobId} decided, not created, not pre-empted`).toBe(true);
              if (event.type === 'RunCancelled') {
                cancels += 1;
                if (uncreated.length > 0) cancelsBeforeCreation += 1;
              }
            }
            for (const job of event.data.stop_jobs) stoppedEarlier.add(job.job_id);
          },
        });
        expect(LIVE).not.toContain(world.state.status);
        // In the world's terms: every step job created (those created late, after the end, included)
        // either answered while the run was live or was stopped (the world does not create a pre-empted one).
        const answered = new Set(world.delivered.map((outcome) => outcome.job_id));
        for (const jobId of world.created) {
          expect(answered.has(jobId) || world.stopped.has(jobId), `${jobId} left running`).toBe(true);
        }
        // The cancel guard: once ended, nothing a run is told changes it or schedules anything.
        const late: RunCommand[] = [
          { type: 'CancelRun', now: world.now + 1, by: 'x', reason: null },
          { type: 'FireRunTimers', now: world.now + 10_000_000 },
          { type: 'ScheduleRun', now: world.now + 1 },
          {
            type: 'RecordStepJobOutcomes',
            now: world.now + 1,
            outcomes: [...world.decided].map((job_id) => ({
              job_id,
              status: 'SUCCEEDED',
              result: 1,
              result_ptr: null,
              error: null,
              retryable: true,
            })),
          },
        ];
        for (const command of late) expect(decideRun(command, world.state)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // The generator must reach the race this property is about, not only cancels of idle runs.
    expect(cancels).toBeGreaterThan(10);
    expect(cancelsBeforeCreation).toBeGreaterThan(0);
  });
});
