/**
 * The per-decision job budget (definition.ts `MAX_JOBS_PER_DECISION`, `MAX_JOB_INPUT_BYTES_PER_DECISION`):
 * a run event is one JetStream message, so a large fan-out starts over several events. What a
 * decision leaves makes the run due at once; `ScheduleRun` (the process manager) or `FireRunTimers`
 * (the reconciler) continue it. Attempt timeouts fired at once are capped the same way.
 */
import { describe, expect, it } from 'vitest';
import { MAX_JOB_INPUT_BYTES_PER_DECISION, MAX_JOBS_PER_DECISION } from '../../../../src/domain/workflow/definition.ts';
import type { RunEvent, RunTimersFired } from '../../../../src/domain/workflow/run-events.ts';
import { deferredSince, isLive, type LiveRun, runDueAt, runStep } from '../../../../src/domain/workflow/run-state.ts';
import {
  decided,
  fold,
  given,
  schedule,
  scheduledJobs,
  start,
  T0,
  timers,
  workflow,
} from '../../../support/workflow-spec.ts';

function fanOut(items: unknown[], extra: Record<string, unknown> = {}) {
  const definition = workflow({
    fan: { for_each: 'input.items', input: { item: '${item}' }, timeout_ms: 1_000, ...extra },
  });
  return { definition, command: start(definition, { input: { items } }) };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function live(events: readonly RunEvent[]): LiveRun {
  const run = fold(events);
  if (!isLive(run)) throw new Error(`the run is ${run.status}`);
  return run;
}

/** Schedules until a pass changes nothing, one `ScheduleRun` after another. */
function scheduleAll(events: RunEvent[], now = T0): RunEvent[][] {
  const passes: RunEvent[][] = [];
  for (let i = 0; i < 20; i++) {
    const outcome = given(events).when(schedule(now + i));
    if (outcome.events.length === 0) return passes;
    passes.push([...outcome.events]);
    events.push(...outcome.events);
  }
  throw new Error('scheduling never settled');
}

describe('the per-decision job budget', () => {
  it('starts a 250-item fan-out over three events of at most 100 jobs, each due at once until all started', () => {
    const { command } = fanOut(range(250));
    const events = decided(command);
    const passes = scheduleAll(events);
    expect(passes.map((pass) => scheduledJobs(pass).length)).toEqual([MAX_JOBS_PER_DECISION, 100, 50]);
    expect(passes.map((pass) => pass[0]?.data.due_at)).toEqual([T0, T0, T0 + 1_000]);
    const ids = scheduledJobs(events).map((job) => job.job_id);
    expect(new Set(ids).size).toBe(250);
    expect(ids.at(-1)).toBe('run1.fan.249.1');
    expect(deferredSince(live(events))).toBeNull();
  });

  it('keeps the inputs of one decision within the byte budget', () => {
    const big = 'x'.repeat(20_000);
    const { command } = fanOut(range(40).map((i) => `${i}${big}`));
    const events = decided(command);
    const passes = scheduleAll(events);
    expect(passes.length).toBeGreaterThan(2);
    for (const pass of passes) {
      const bytes = scheduledJobs(pass).reduce((sum, job) => sum + JSON.stringify(job.input).length, 0);
      expect(bytes).toBeLessThanOrEqual(MAX_JOB_INPUT_BYTES_PER_DECISION);
    }
    expect(scheduledJobs(events)).toHaveLength(40);
  });

  it('never starts more than max_parallel, and a full step is not deferred work', () => {
    const { command } = fanOut(range(300), { max_parallel: 150 });
    const events = decided(command);
    const passes = scheduleAll(events);
    expect(passes.map((pass) => scheduledJobs(pass).length)).toEqual([100, 50]);
    expect(deferredSince(live(events))).toBeNull();
    expect(runDueAt(live(events))).toBe(T0 + 1_000);
  });

  it('lets the reconciler continue a deferred run when no timer is due, and do nothing otherwise', () => {
    const { command } = fanOut(range(120));
    const events = decided(command, schedule());
    given(events)
      .when(timers(T0 + 5))
      .then([{ type: 'RunStepsScheduled', data: { status_after: 'RUNNING', due_at: T0 + 1_000 } }]);
    const settled = decided(command, schedule(), schedule(T0 + 1));
    given(settled)
      .when(timers(T0 + 5))
      .thenNothing();
  });

  it('times out at most 100 attempts in one decision; the rest stay due for the next', () => {
    const { command } = fanOut(range(150), { retry: { max_retries: 1, initial_backoff_ms: 0 } });
    const events = decided(command, schedule(), schedule(T0));
    expect(scheduledJobs(events)).toHaveLength(150);
    const first = given(events).when(timers(T0 + 2_000));
    const fired = (first.events[0] as RunTimersFired).data.fired;
    expect(fired).toHaveLength(MAX_JOBS_PER_DECISION);
    expect(first.events[0]?.data.due_at).toBeLessThanOrEqual(T0 + 2_000);
    const second = given([...events, ...first.events]).when(timers(T0 + 2_001));
    expect((second.events[0] as RunTimersFired).data.fired).toHaveLength(50);
    const run = live([...events, ...first.events, ...second.events]);
    expect(runStep(run, 'fan').units.every((unit) => unit.job?.attempt === 2)).toBe(true);
  });
});
