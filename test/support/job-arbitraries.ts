/**
 * fast-check generators for the job decider. A `Step` is a generated intention ("a report from w2 with
 * the previous token"), turned into a command at run time against the job as it then is, so generated
 * runs keep hitting the current attempt — and keep producing the races of ARCHITECTURE.md section 7:
 * results before the hand-off is recorded, results for an old attempt or from a non-holder, cancels
 * while scheduled, timeouts followed by late results, worker-reported CANCELLED.
 */
import fc from 'fast-check';
import type { JobCommand, SafetyInput } from '../../src/domain/job/commands.ts';
import type { SafetyDecision, SafetyVerdict } from '../../src/domain/job/events.ts';
import type { JobSubmissionInput } from '../../src/domain/job/submission.ts';
import {
  accepted,
  approve,
  cancel,
  HASH,
  handOff,
  POLICY,
  progress,
  reevaluate,
  reject,
  report,
  safety,
  schedule,
  T0,
  takeSnapshot,
  timers,
} from './job-fixtures.ts';

export const WORKERS = ['w1', 'w2', 'w3'] as const;
export const MODEL_LIMITS = { dispatch_ms: 1_000, running_ms: 5_000, max_attempts: 10 };
export const MODEL_WAIT_RECHECK_MS = 60_000;
export const MODEL_APPROVAL_TTL_MS = 20_000;

export type TokenChoice = 'current' | 'previous' | 'bogus';
/** `holder`: the worker the attempt is handed to or held by (or some worker when there is none). */
export type WorkerChoice = 'holder' | (typeof WORKERS)[number];
export type SafetyChoice =
  | { readonly kind: 'decided'; readonly decision: SafetyDecision }
  | { readonly kind: 'recorded' }
  | { readonly kind: 'unavailable'; readonly on_unavailable: 'defer' | 'deny' };
export type PlacementChoice =
  | { readonly kind: 'worker'; readonly worker: (typeof WORKERS)[number] }
  | { readonly kind: 'queue' }
  | { readonly kind: 'wait'; readonly reason: 'all_overloaded' | 'tenant_limit' | 'paused' }
  | { readonly kind: 'fail' };

export type Step =
  | { readonly kind: 'tick'; readonly ms: number }
  /** Time moves to exactly the job's due time (boundaries are where timer bugs hide). */
  | { readonly kind: 'jump_to_due' }
  | { readonly kind: 'schedule'; readonly safety: SafetyChoice; readonly placement: PlacementChoice }
  | {
      readonly kind: 'handoff';
      readonly reply: 'accepted' | 'accepted_started' | 'refused' | 'no_responders';
      readonly worker: WorkerChoice;
      readonly token: TokenChoice;
      readonly attemptDelta: number;
      readonly jitter: number;
    }
  | {
      readonly kind: 'report';
      readonly type: 'started' | 'result';
      readonly worker: WorkerChoice;
      readonly status: string;
      readonly retryable: boolean | null;
      readonly token: TokenChoice;
      readonly attemptDelta: number;
      readonly jitter: number;
    }
  | { readonly kind: 'progress'; readonly worker: WorkerChoice; readonly token: TokenChoice }
  | { readonly kind: 'timers'; readonly jitter: number }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'approve' | 'reject'; readonly hashOk: boolean; readonly policyOk: boolean }
  | { readonly kind: 'reevaluate'; readonly verdict: SafetyVerdict; readonly newPolicy: boolean }
  | { readonly kind: 'snapshot' };

// Mostly aimed at the attempt in flight, so runs go deep; the rest are the races.
const arbWorkerChoice = fc.constantFrom<WorkerChoice>('holder', 'holder', 'holder', 'holder', 'w1', 'w2', 'w3');
const arbToken = fc.constantFrom<TokenChoice>(
  'current',
  'current',
  'current',
  'current',
  'current',
  'previous',
  'bogus',
);
const arbAttemptDelta = fc.constantFrom(0, 0, 0, 0, 0, 0, -1, 1);
const arbJitter = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const arbSafetyDecision: fc.Arbitrary<SafetyDecision> = fc.oneof(
  { arbitrary: fc.constant(safety('ALLOW')), weight: 6 },
  {
    arbitrary: fc
      .record({ max_retries: fc.integer({ min: 0, max: 3 }), max_runtime_ms: fc.integer({ min: 500, max: 10_000 }) })
      .map((constraints) => safety('ALLOW_WITH_CONSTRAINTS', { constraints })),
    weight: 2,
  },
  { arbitrary: fc.constant(safety('DENY', { reason: 'blocked' })), weight: 1 },
  { arbitrary: fc.constant(safety('REQUIRE_APPROVAL')), weight: 2 },
  {
    arbitrary: fc
      .option(fc.integer({ min: 100, max: 3_000 }), { nil: null })
      .map((retryAfter) => safety('THROTTLE', { retry_after_ms: retryAfter })),
    weight: 1,
  },
);

const arbSafetyChoice: fc.Arbitrary<SafetyChoice> = fc.oneof(
  { arbitrary: arbSafetyDecision.map((decision) => ({ kind: 'decided' as const, decision })), weight: 8 },
  { arbitrary: fc.constant({ kind: 'recorded' as const }), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('defer' as const, 'deny' as const)
      .map((on) => ({ kind: 'unavailable' as const, on_unavailable: on })),
    weight: 1,
  },
);

const arbPlacement: fc.Arbitrary<PlacementChoice> = fc.oneof(
  {
    arbitrary: fc.constantFrom(...WORKERS.slice(0, 2)).map((worker) => ({ kind: 'worker' as const, worker })),
    weight: 6,
  },
  { arbitrary: fc.constant({ kind: 'queue' as const }), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('all_overloaded' as const, 'tenant_limit' as const, 'paused' as const)
      .map((reason) => ({ kind: 'wait' as const, reason })),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: 'fail' as const }), weight: 1 },
);

export const REPORTED_STATUSES = ['SUCCEEDED', 'COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'DENIED', 'WEIRD'];

export const arbStep: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc
      .oneof(
        { arbitrary: fc.integer({ min: 1, max: 1_500 }), weight: 4 },
        { arbitrary: fc.integer({ min: 1_500, max: 30_000 }), weight: 1 },
      )
      .map((ms) => ({ kind: 'tick' as const, ms })),
    weight: 4,
  },
  { arbitrary: fc.constant({ kind: 'jump_to_due' as const }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('schedule' as const), safety: arbSafetyChoice, placement: arbPlacement }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('handoff' as const),
      reply: fc.constantFrom(
        'accepted' as const,
        'accepted' as const,
        'accepted_started' as const,
        'refused' as const,
        'no_responders' as const,
      ),
      worker: arbWorkerChoice,
      token: arbToken,
      attemptDelta: arbAttemptDelta,
      jitter: arbJitter,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      type: fc.constantFrom('started' as const, 'result' as const),
      worker: arbWorkerChoice,
      status: fc.oneof(
        { arbitrary: fc.constantFrom('SUCCEEDED', 'FAILED'), weight: 3 },
        { arbitrary: fc.constantFrom(...REPORTED_STATUSES), weight: 2 },
      ),
      retryable: fc.constantFrom(true, false, null),
      token: arbToken,
      attemptDelta: arbAttemptDelta,
      jitter: arbJitter,
    }),
    weight: 7,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('progress' as const), worker: arbWorkerChoice, token: arbToken }),
    weight: 1,
  },
  { arbitrary: arbJitter.map((jitter) => ({ kind: 'timers' as const, jitter })), weight: 3 },
  { arbitrary: fc.constant({ kind: 'cancel' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('approve' as const, 'reject' as const),
      hashOk: fc.constantFrom(true, true, true, false),
      policyOk: fc.constantFrom(true, true, true, false),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('reevaluate' as const),
      verdict: fc.constantFrom<SafetyVerdict>('ALLOW', 'DENY', 'REQUIRE_APPROVAL', 'THROTTLE'),
      newPolicy: fc.boolean(),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: 'snapshot' as const }), weight: 1 },
);

/** Valid submissions with small numbers, so that timers, retries and deadlines all happen in a run. */
export const arbSubmission: fc.Arbitrary<JobSubmissionInput> = fc
  .record({
    max_attempts: fc.integer({ min: 1, max: 4 }),
    initial_backoff_ms: fc.integer({ min: 0, max: 2_000 }),
    extra_backoff_ms: fc.integer({ min: 0, max: 5_000 }),
    multiplier: fc.double({ min: 1, max: 3, noNaN: true }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
    deadline_ms: fc.option(fc.integer({ min: 2_000, max: 40_000 }), { nil: null }),
    run_at: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: null }),
    dispatch_ms: fc.option(fc.integer({ min: 500, max: 3_000 }), { nil: null }),
    running_ms: fc.option(fc.integer({ min: 1_000, max: 8_000 }), { nil: null }),
  })
  .map((r) => ({
    retry: {
      max_attempts: r.max_attempts,
      initial_backoff_ms: r.initial_backoff_ms,
      max_backoff_ms: r.initial_backoff_ms + r.extra_backoff_ms,
      multiplier: r.multiplier,
      jitter: r.jitter,
    },
    deadline_ms: r.deadline_ms,
    run_at: r.run_at === null ? null : T0 + r.run_at,
    timeouts: { dispatch_ms: r.dispatch_ms, running_ms: r.running_ms },
  }));

/** What a step needs to know of the job to aim at it. */
export interface StepView {
  readonly now: number;
  readonly currentToken: string | null;
  readonly previousToken: string | null;
  /** The attempt in flight, else the last one (0 before any). */
  readonly attempt: number;
  /** The worker the attempt in flight is handed to or held by, if any. */
  readonly holder: string | null;
  /** The policy version and hash an approval request waits under, if any. */
  readonly approval: { readonly policy: string; readonly hash: string } | null;
}

function pickToken(choice: TokenChoice, view: StepView): string {
  if (choice === 'bogus') return 'tok-bogus';
  if (choice === 'previous') return view.previousToken ?? 'tok-bogus';
  return view.currentToken ?? 'tok-bogus';
}

function pickWorker(choice: WorkerChoice, view: StepView): string {
  return choice === 'holder' ? (view.holder ?? 'w3') : choice;
}

function toSafetyInput(choice: SafetyChoice): SafetyInput {
  return choice.kind === 'unavailable' ? { ...choice, reason: 'breaker open' } : choice;
}

/** The command a step stands for, given the job as it is; null for a tick (time only moves). */
export function commandOf(step: Step, view: StepView, nextToken: string): JobCommand | null {
  const { now } = view;
  switch (step.kind) {
    case 'tick':
    case 'jump_to_due':
      return null;
    case 'schedule': {
      const p = step.placement;
      return schedule({
        now,
        token: nextToken,
        safety: toSafetyInput(step.safety),
        limits: MODEL_LIMITS,
        wait_recheck_ms: MODEL_WAIT_RECHECK_MS,
        approval_ttl_ms: MODEL_APPROVAL_TTL_MS,
        request_hash: HASH,
        placement:
          p.kind === 'worker'
            ? { kind: 'worker', worker_id: p.worker, pool: 'default' }
            : p.kind === 'queue'
              ? { kind: 'queue', pool: 'default' }
              : p.kind === 'wait'
                ? { kind: 'wait', reason: p.reason }
                : { kind: 'fail', reason: 'no_pool_mapping' },
      });
    }
    case 'handoff': {
      const over = {
        now,
        token: pickToken(step.token, view),
        attempt: view.attempt + step.attemptDelta,
        jitter: step.jitter,
      };
      const worker = pickWorker(step.worker, view);
      if (step.reply === 'accepted') return accepted(worker, null, over);
      if (step.reply === 'accepted_started') return accepted(worker, now, over);
      if (step.reply === 'refused') return handOff({ kind: 'refused', worker_id: worker }, over);
      return handOff({ kind: 'no_responders' }, over);
    }
    case 'report':
      return report({
        kind: step.type,
        worker_id: pickWorker(step.worker, view),
        status: step.type === 'result' ? step.status : null,
        retryable: step.retryable,
        token: pickToken(step.token, view),
        attempt: view.attempt + step.attemptDelta,
        now,
        jitter: step.jitter,
        error_code: step.status === 'FAILED' ? 'boom' : null,
      });
    case 'progress':
      return progress({
        worker_id: pickWorker(step.worker, view),
        token: pickToken(step.token, view),
        attempt: view.attempt,
        now,
      });
    case 'timers':
      return timers(now, step.jitter);
    case 'cancel':
      return cancel({ now });
    case 'approve':
    case 'reject': {
      const over = {
        now,
        request_hash: step.hashOk ? (view.approval?.hash ?? HASH) : 'hash-wrong',
        current_policy_version: step.policyOk ? (view.approval?.policy ?? POLICY) : 'rules-other',
      };
      return step.kind === 'approve' ? approve(over) : reject(over);
    }
    case 'reevaluate': {
      const policy = step.newPolicy ? `${view.approval?.policy ?? POLICY}+` : (view.approval?.policy ?? POLICY);
      return reevaluate(safety(step.verdict, { policy_version: policy, retry_after_ms: 1_000 }), {
        now,
        request_hash: `hash-${policy}`,
      });
    }
    case 'snapshot':
      return takeSnapshot(now);
    default: {
      const unknownStep: never = step;
      return unknownStep;
    }
  }
}
