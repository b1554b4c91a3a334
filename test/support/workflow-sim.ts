/**
 * Random workflows and a simulated world to run them in, for the run decider's properties. The
 * generator makes acyclic definitions (each step depends on some earlier ones) with conditions (on
 * the input or a dependency, a few failing at run time), fan-outs (a few over a value that is not a
 * list), retries, timeouts (explicit or the config default), delays (of delay steps, and before a
 * job step's first jobs), approvals and an optional run timeout. The world plays the process
 * manager and the job pipeline with a seeded random source: it creates step jobs from the events
 * (some late, to leave a cancel between a decision and the creation of its jobs, and the last of
 * those after the run ended), answers them (success, failure, timeout, user cancel, or never — or,
 * `silent`, none at all), approves, rejects or ignores approvals, re-delivers stale outcomes,
 * cancels runs now and then, and drives the clock to each due time. `onEvent` sees each event with
 * the state before it, for the invariants a property checks.
 */
import fc from 'fast-check';
import type { WorkflowDefinition } from '../../src/domain/workflow/definition.ts';
import { parseWorkflowDefinition } from '../../src/domain/workflow/parse-definition.ts';
import type { RunCommand } from '../../src/domain/workflow/run-commands.ts';
import { decideRun } from '../../src/domain/workflow/run-decide.ts';
import type { RunEvent, StepJobOutcome } from '../../src/domain/workflow/run-events.ts';
import { evolveRun } from '../../src/domain/workflow/run-evolve.ts';
import { initialRunState, isLive, runDueAt, type RunState } from '../../src/domain/workflow/run-state.ts';
import { seededRandom } from './seeded-random.ts';

export const SIM_T0 = 1_000_000;
const SIM_STEPS_MAX = 7;
/** The config default of steps that set no timeout (what `resolveStepTimeouts` would give). */
export const SIM_DEFAULT_TIMEOUT_MS = 250;

/** `arbitrary`'s value `weight` times in `weight + absent`, else undefined. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, weight: number, absent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary, weight });
}

/** The conditions a step may carry; the ones on a dependency read the first step it depends on. */
type ConditionKind =
  'true' | 'false' | 'flag' | 'not-flag' | 'dependency-succeeded' | 'dependency-output-null' | 'fails' | 'not-a-bool';

// Conditions that fail at run time fail their step and so the run: rare, or few runs would get far.
const conditionArb: fc.Arbitrary<ConditionKind> = fc.oneof(
  {
    arbitrary: fc.constantFrom('true', 'false', 'flag', 'not-flag', 'dependency-succeeded', 'dependency-output-null'),
    weight: 12,
  },
  { arbitrary: fc.constantFrom('fails', 'not-a-bool'), weight: 1 },
);

function conditionText(kind: ConditionKind, index: number, deps: readonly string[]): string {
  const dep = deps[0];
  switch (kind) {
    case 'true':
    case 'false':
      return kind;
    case 'flag':
      return `input.flags[${index}]`;
    case 'not-flag':
      return `!input.flags[${index}]`;
    case 'dependency-succeeded':
      return dep === undefined ? `input.flags[${index}]` : `steps.${dep}.status == "SUCCEEDED"`;
    case 'dependency-output-null':
      return dep === undefined ? `!input.flags[${index}]` : `steps.${dep}.output == null`;
    case 'fails':
      return `input.flags[${index + SIM_STEPS_MAX}]`; // out of bounds at run time: the step fails
    case 'not-a-bool':
      return `input.lists[${index}]`;
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}

const stepArb = (index: number) =>
  fc.record({
    deps: fc.subarray(Array.from({ length: index }, (_, i) => `s${i}`)),
    type: fc.constantFrom('job', 'job', 'job', 'notify', 'approval', 'delay', 'condition'),
    condition: sometimes(conditionArb, 1, 2),
    forEach: sometimes(
      fc.record({
        maxParallel: sometimes(fc.integer({ min: 1, max: 3 }), 2, 1),
        join: fc.constantFrom('all', 'any', 'ignore_failures'),
        // Mostly a list; now and then an expression that is not one, or fails at run time.
        over: fc.oneof(
          { arbitrary: fc.constant('list' as const), weight: 12 },
          { arbitrary: fc.constantFrom('not-a-list' as const, 'fails' as const), weight: 1 },
        ),
      }),
      1,
      2,
    ),
    maxRetries: fc.integer({ min: 0, max: 2 }),
    backoff: fc.integer({ min: 0, max: 40 }),
    // Absent: the step takes its default from config (`default_timeouts`, SIM_DEFAULT_TIMEOUT_MS).
    timeout: sometimes(fc.integer({ min: 20, max: 300 }), 4, 1),
    delay: fc.integer({ min: 0, max: 120 }),
    // Job and notify steps may wait before their first jobs; delay steps wait for delay_ms or until a time.
    delayBy: fc.constantFrom('none', 'none', 'none', 'ms', 'until'),
  });

/** Raw definitions (JSON, as a client would send), acyclic by construction. */
export const definitionArb: fc.Arbitrary<Record<string, unknown>> = fc
  .integer({ min: 1, max: SIM_STEPS_MAX })
  .chain((count) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: count }, (_, i) => stepArb(i))),
      fc.option(fc.integer({ min: 50, max: 600 }), { nil: null }),
    ),
  )
  .map(([specs, runTimeout]) => {
    const steps: Record<string, unknown> = {};
    specs.forEach((spec, i) => {
      const step: Record<string, unknown> = { type: spec.type, depends_on: spec.deps };
      if (spec.type === 'condition') step.condition = conditionText(spec.condition ?? 'flag', i, spec.deps);
      else if (spec.condition !== undefined) step.condition = conditionText(spec.condition, i, spec.deps);
      const waits = spec.type === 'delay' || spec.type === 'job' || spec.type === 'notify';
      if (waits && spec.delayBy === 'until') step.delay_until = `input.at + ${spec.delay}`;
      else if (spec.type === 'delay' || (waits && spec.delayBy === 'ms')) step.delay_ms = spec.delay;
      if (spec.type === 'job' || spec.type === 'notify') {
        step.retry = { max_retries: spec.maxRetries, initial_backoff_ms: spec.backoff, max_backoff_ms: 100 };
        if (spec.timeout !== undefined) step.timeout_ms = spec.timeout;
        if (spec.forEach !== undefined) {
          const over = {
            list: `input.lists[${i}]`,
            'not-a-list': `input.flags[${i}]`,
            fails: `input.lists[${i + SIM_STEPS_MAX}]`,
          };
          step.for_each = over[spec.forEach.over];
          if (spec.forEach.maxParallel !== undefined) step.max_parallel = spec.forEach.maxParallel;
          step.join = spec.forEach.join;
          step.input = { item: '${item}', index: '${index}' };
        }
      }
      if (spec.type === 'approval' && spec.timeout !== undefined) step.timeout_ms = spec.timeout;
      // A succeeded run's output gathers these, so a replay can be checked against what the decider saw.
      if (spec.type !== 'delay') step.output_path = `out.s${i}`;
      steps[`s${i}`] = step;
    });
    return runTimeout === null ? { name: 'sim', steps } : { name: 'sim', timeout_ms: runTimeout, steps };
  });

export const inputArb = fc.record({
  flags: fc.array(fc.boolean(), { minLength: SIM_STEPS_MAX, maxLength: SIM_STEPS_MAX }),
  lists: fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }), {
    minLength: SIM_STEPS_MAX,
    maxLength: SIM_STEPS_MAX,
  }),
  // For `delay_until`: around the run's start, so some waits are over before their step starts.
  at: fc.integer({ min: SIM_T0 - 100, max: SIM_T0 + 200 }),
});

export function parseSimDefinition(raw: Record<string, unknown>): WorkflowDefinition {
  const parsed = parseWorkflowDefinition(raw, { workflow_id: 'wf', org_id: 'acme' });
  if (parsed instanceof Error)
    throw new Error(`generator made an invalid definition: ${parsed.field}: ${parsed.message}`);
  return parsed;
}

export interface SimOptions {
  readonly seed: number;
  /** Chance per turn that someone cancels the run. */
  readonly cancelChance: number;
  /** No step job and no approver ever answers: only the run's due times can end it. */
  readonly silent?: boolean;
  readonly onEvent?: (event: RunEvent, before: RunState, world: SimWorld) => void;
}

type Fate = { readonly at: number; readonly outcome: StepJobOutcome } | { readonly at: null };

/**
 * What the world knows: jobs decided by events, created (the late ones included, which the world
 * still tries to create after the run ended, as a process manager catching up would), pre-empted,
 * listed to stop; the outcomes it delivered; every command it gave with the events it got back.
 */
export interface SimWorld {
  readonly events: RunEvent[];
  readonly decided: Set<string>;
  readonly created: Set<string>;
  readonly preempted: Set<string>;
  readonly stopped: Set<string>;
  readonly delivered: StepJobOutcome[];
  readonly decisions: {
    readonly command: RunCommand;
    readonly eventsBefore: number;
    readonly events: readonly RunEvent[];
  }[];
  now: number;
  state: RunState;
}

export function simulate(definition: WorkflowDefinition, input: unknown, options: SimOptions): SimWorld {
  const random = seededRandom(options.seed);
  const world: SimWorld = {
    events: [],
    decided: new Set(),
    created: new Set(),
    preempted: new Set(),
    stopped: new Set(),
    delivered: [],
    decisions: [],
    now: SIM_T0,
    state: initialRunState,
  };
  const fates = new Map<string, Fate>();
  const approvals = new Map<string, { at: number; approved: boolean } | null>();
  const uncreated: string[] = [];

  const apply = (command: RunCommand): readonly RunEvent[] => {
    const result = decideRun(command, world.state);
    if (result instanceof Error) throw result;
    world.decisions.push({ command, eventsBefore: world.events.length, events: result });
    for (const event of result) {
      const before = world.state;
      world.state = evolveRun(world.state, event);
      world.events.push(event);
      options.onEvent?.(event, before, world);
      for (const change of event.data.changes) {
        if (change.type !== 'job_scheduled') continue;
        world.decided.add(change.job_id);
        if (random() < 0.7) createJob(change.job_id, change.run_at);
        else uncreated.push(change.job_id);
      }
      for (const stop of event.data.stop_jobs) {
        world.stopped.add(stop.job_id);
        if (!world.created.has(stop.job_id)) world.preempted.add(stop.job_id);
        fates.delete(stop.job_id);
      }
    }
    return result;
  };

  const createJob = (jobId: string, runAt: number | null): void => {
    if (world.preempted.has(jobId)) return;
    world.created.add(jobId);
    if (options.silent === true) {
      fates.set(jobId, { at: null });
      return;
    }
    const roll = random();
    const at = Math.max(world.now, runAt ?? world.now) + 1 + Math.floor(random() * 150);
    const status: StepJobOutcome['status'] =
      roll < 0.55
        ? 'SUCCEEDED'
        : roll < 0.75
          ? 'FAILED'
          : roll < 0.82
            ? 'TIMEOUT'
            : roll < 0.87
              ? 'CANCELLED'
              : 'SUCCEEDED';
    if (roll >= 0.9) {
      fates.set(jobId, { at: null }); // never answers: the step timeout must end it
      return;
    }
    const failedStatus = status !== 'SUCCEEDED';
    fates.set(jobId, {
      at,
      outcome: {
        job_id: jobId,
        status,
        result: failedStatus ? null : { from: jobId },
        result_ptr: null,
        error: failedStatus ? { code: 'sim', message: status } : null,
        retryable: random() < 0.8,
      },
    });
  };

  apply({
    type: 'StartRun',
    now: world.now,
    run_id: 'run1',
    workflow: { version: 1, definition },
    team_id: null,
    input,
    trace_id: 't',
    started_by: 'sim',
    default_timeouts: Object.fromEntries(
      Object.entries(definition.steps)
        .filter(([, step]) => step.type !== 'condition' && step.type !== 'delay' && step.timeout_ms === null)
        .map(([stepId]) => [stepId, SIM_DEFAULT_TIMEOUT_MS]),
    ),
    rerun: null,
  });

  for (let turn = 0; turn < 5_000 && isLive(world.state); turn++) {
    const state = world.state;
    // Late creations: a decided job appears some turns later (or is pre-empted by a cancel first).
    for (let i = uncreated.length - 1; i >= 0; i--) {
      if (random() < 0.5) {
        const [jobId] = uncreated.splice(i, 1);
        if (jobId !== undefined) createJob(jobId, null);
      }
    }
    if (random() < options.cancelChance) {
      const events = apply({ type: 'CancelRun', now: world.now, by: 'sim', reason: null });
      if (events.length !== 1) throw new Error('a cancel of a live run appended no event');
      break;
    }
    if (random() < 0.05 && world.delivered.length > 0) {
      const stale = world.delivered[Math.floor(random() * world.delivered.length)];
      if (stale !== undefined) apply({ type: 'RecordStepJobOutcomes', now: world.now, outcomes: [stale] });
      continue;
    }
    for (const [stepId, step] of Object.entries(state.steps)) {
      if (step.status === 'WAITING' && step.wait?.reason === 'approval' && !approvals.has(stepId)) {
        const roll = random();
        approvals.set(
          stepId,
          roll < 0.3 || options.silent === true
            ? null
            : { at: world.now + Math.floor(random() * 120), approved: roll < 0.8 },
        );
      }
    }
    const due = runDueAt(state);
    const nextOutcome = [...fates.values()]
      .filter((fate) => fate.at !== null)
      .sort((a, b) => (a.at ?? 0) - (b.at ?? 0))[0];
    const nextApproval = [...approvals.entries()]
      .filter((entry): entry is [string, { at: number; approved: boolean }] => entry[1] !== null)
      .filter(([stepId]) => state.steps[stepId]?.status === 'WAITING')
      .sort((a, b) => a[1].at - b[1].at)[0];
    const candidates = [due ?? Infinity, nextOutcome?.at ?? Infinity, nextApproval?.[1].at ?? Infinity];
    const next = Math.min(...candidates);
    if (!Number.isFinite(next)) {
      if (uncreated.length > 0) continue;
      throw new Error(`the run is ${state.status} with nothing due: it would wait forever`);
    }
    world.now = Math.max(world.now, next);
    if (nextOutcome !== undefined && nextOutcome.at === next && 'outcome' in nextOutcome) {
      const batch = [...fates.entries()].filter(
        ([, fate]) => fate.at !== null && fate.at <= world.now + Math.floor(random() * 30),
      );
      const list = batch.flatMap(([jobId, fate]) => {
        fates.delete(jobId);
        return 'outcome' in fate ? [fate.outcome] : [];
      });
      world.delivered.push(...list);
      apply({ type: 'RecordStepJobOutcomes', now: world.now, outcomes: list });
    } else if (nextApproval !== undefined && nextApproval[1].at === next) {
      const [stepId, decision] = nextApproval;
      approvals.set(stepId, null);
      try {
        apply({
          type: 'DecideRunStepApproval',
          now: world.now,
          step_id: stepId,
          approved: decision.approved,
          by: 'sim',
          reason: null,
        });
      } catch (error) {
        // An answer at or after the expiry is refused; the expiry timer settles the step instead.
        if (!(error instanceof Error && 'code' in error && error.code === 'approval_expired')) throw error;
      }
    } else {
      const events = apply({ type: 'FireRunTimers', now: world.now });
      if (events.length === 0) throw new Error(`the run was due at ${due} but no timer fired`);
    }
  }
  // The jobs of earlier decisions not created yet are created now (those pre-empted cannot be).
  if (!isLive(world.state)) for (const jobId of uncreated.splice(0)) createJob(jobId, null);
  return world;
}
