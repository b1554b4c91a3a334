import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStepJobId } from '../../../../src/domain/shared/ids.ts';
import { partitionOf, streamId } from '../../../../src/domain/shared/stream.ts';
import type { RunCommand } from '../../../../src/domain/workflow/run-commands.ts';
import { decideRun } from '../../../../src/domain/workflow/run-decide.ts';
import { isStepDone, type RunEvent } from '../../../../src/domain/workflow/run-events.ts';
import { applyStepChange, evolveRun } from '../../../../src/domain/workflow/run-evolve.ts';
import {
  type ActiveRun,
  initialRunState,
  isLive,
  jobsInFlight,
  runDueAt,
  runStep,
  type RunState,
} from '../../../../src/domain/workflow/run-state.ts';
import { definitionArb, inputArb, parseSimDefinition, type SimWorld, simulate } from '../../../support/workflow-sim.ts';

const RUNS = 300;

const caseArb = fc.record({ raw: definitionArb, input: inputArb, seed: fc.integer() });

function fold(events: readonly RunEvent[], from: RunState = initialRunState): RunState {
  return events.reduce(evolveRun, from);
}

function active(state: RunState): ActiveRun {
  if (state.status === 'NONE') throw new Error('no run');
  return state;
}

describe('run decider properties over random DAGs', () => {
  it('every run ends in a terminal state once its due times pass, and has a due time until then', () => {
    fc.assert(
      fc.property(caseArb, ({ raw, input, seed }) => {
        const world = simulate(parseSimDefinition(raw), input, {
          seed,
          cancelChance: 0,
          onEvent: (event, _before, sim) => {
            // A live run always has something that will wake it: nothing can sit forever.
            expect(event.data.due_at === null).toBe(!isLive(sim.state));
          },
        });
        expect(isLive(world.state)).toBe(false);
        expect(world.state.status).not.toBe('CANCELLED');
        // Terminal all the way down: no step or child is left running or pending in an ended run.
        for (const step of Object.values(active(world.state).steps)) {
          expect(['PENDING', 'RUNNING', 'WAITING']).not.toContain(step.status);
          for (const unit of step.units) expect(['PENDING', 'RUNNING']).not.toContain(unit.status);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('no step starts or settles by itself before all its dependencies are SUCCEEDED or SKIPPED', () => {
    fc.assert(
      fc.property(caseArb, ({ raw, input, seed }) => {
        simulate(parseSimDefinition(raw), input, {
          seed,
          cancelChance: 0.02,
          onEvent: (event, before) => {
            if (event.type === 'RunStarted') return; // reused outcomes of a rerun, none here
            let state = active(before);
            for (const change of event.data.changes) {
              const starts =
                change.type === 'step_started' ||
                (change.type === 'step_settled' &&
                  runStep(state, change.step_id).status === 'PENDING' &&
                  change.status !== 'CANCELLED');
              if (starts) {
                for (const dep of state.definition.steps[change.step_id]?.depends_on ?? []) {
                  expect(isStepDone(runStep(state, dep).status), `${change.step_id} before ${dep}`).toBe(true);
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

  it('replay of the emitted events (as JSON, and from a snapshot) reproduces the run state', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ raw, input, seed }, cut) => {
        const world = simulate(parseSimDefinition(raw), input, { seed, cancelChance: 0.02 });
        const replayed = fold(JSON.parse(JSON.stringify(world.events)) as RunEvent[]);
        expect(replayed).toEqual(world.state);
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

  it('when a run ends (a cancel included), every job in flight is stopped, every decided-but-uncreated job is listed for pre-emption, and nothing is scheduled after', () => {
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
        expect(isLive(world.state)).toBe(false);
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
