/**
 * A model of one job, written from SPEC 1.2-1.9 for the model-based runs (model.test.ts). It shares
 * nothing with the decider but its types: it predicts each command's outcome (an event and its status,
 * ignored with or without a stop, or an error), checks the times an event carries, and keeps its own
 * view of the attempt in flight.
 */
import { expect } from 'vitest';
import type { JobCommand } from '../../src/domain/job/commands.ts';
import type { JobEvent, SafetyDecision, StopTarget } from '../../src/domain/job/events.ts';
import type { JobRequest } from '../../src/domain/job/request.ts';
import {
  MODEL_APPROVAL_TTL_MS,
  MODEL_LIMITS,
  MODEL_WAIT_RECHECK_MS,
  type Step,
  type StepView,
} from './job-arbitraries.ts';
import { T0 } from './job-fixtures.ts';
import { isDone, type Status } from './job-transitions.ts';

export type Prediction =
  | { readonly kind: 'error'; readonly name: 'ConflictError' | 'NotFoundError' }
  | { readonly kind: 'ignored'; readonly stop: StopTarget | null }
  | { readonly kind: 'event'; readonly status: Status };

export interface Flight {
  attempt: number;
  token: string;
  /** The chosen worker of a direct hand-off; null for a topic queue. */
  chosen: string | null;
  holder: string | null;
  dispatchDeadline: number;
  runningDeadline: number | null;
}

const ignored = (stop: StopTarget | null = null): Prediction => ({ kind: 'ignored', stop });
const becomes = (status: Status): Prediction => ({ kind: 'event', status });
const conflict: Prediction = { kind: 'error', name: 'ConflictError' };
const success = (status: string) => ['SUCCEEDED', 'COMPLETED'].includes(status.toUpperCase());

export class JobModel {
  now = T0;
  status: Status = 'PENDING';
  attemptsUsed = 0;
  maxAttempts: number | null = null;
  /** The once-per-job decision (ALLOW-ish, or approved). */
  recorded: SafetyDecision | null = null;
  hold = 'due';
  dueAt: number;
  approval: { hash: string; policy: string; expiresAt: number; decision: SafetyDecision } | null = null;
  flight: Flight | null = null;
  tokens: string[] = [];
  terminalEvents = 0;
  readonly request: JobRequest;
  readonly deadlineAt: number | null;

  constructor(request: JobRequest) {
    this.request = request;
    const start = request.run_at ?? T0;
    this.deadlineAt = request.deadline_ms === null ? null : start + request.deadline_ms;
    this.dueAt = start;
  }

  cap(at: number): number {
    return this.deadlineAt === null ? at : Math.min(at, this.deadlineAt);
  }

  dispatchMs(): number {
    return this.request.timeouts.dispatch_ms ?? MODEL_LIMITS.dispatch_ms;
  }

  runningMs(): number {
    const runtime = (this.recorded ?? this.approval?.decision)?.constraints?.max_runtime_ms;
    const base = this.request.timeouts.running_ms ?? MODEL_LIMITS.running_ms;
    return runtime === undefined ? base : Math.min(base, runtime);
  }

  /** When the job is next due, from the model's own timers (SPEC 1.2: exactly one). */
  nextDue(): number | null {
    if (isDone(this.status)) return null;
    const f = this.flight;
    let at = this.dueAt;
    if (this.status === 'APPROVAL_REQUIRED' && this.approval !== null) at = this.approval.expiresAt;
    if (f !== null) at = this.status === 'RUNNING' ? (f.runningDeadline ?? at) : f.dispatchDeadline;
    return this.cap(at);
  }

  view(): StepView {
    return {
      now: this.now,
      currentToken: this.flight?.token ?? this.tokens.at(-1) ?? null,
      previousToken: this.tokens.at(this.flight === null ? -1 : -2) ?? null,
      attempt: this.flight?.attempt ?? this.attemptsUsed,
      holder: this.flight === null ? null : (this.flight.holder ?? this.flight.chosen),
      approval: this.approval === null ? null : { policy: this.approval.policy, hash: this.approval.hash },
    };
  }

  /** Who must stop the attempt in flight (SPEC 1.9). */
  stopOfFlight(): StopTarget | null {
    const f = this.flight;
    if (f === null) return null;
    if (this.status !== 'SCHEDULED') return { kind: 'worker', worker_id: f.holder ?? '?', attempt: f.attempt };
    return f.chosen === null
      ? { kind: 'pool', pool: 'default', attempt: f.attempt }
      : { kind: 'worker', worker_id: f.chosen, attempt: f.attempt };
  }

  /** SPEC 1.6/1.8: only the holder's reports on the current attempt with its token count. */
  admit(worker: string, attempt: number, token: string): Prediction | null {
    const stop: StopTarget = { kind: 'worker', worker_id: worker, attempt };
    const f = this.flight;
    if (isDone(this.status) || f === null) return ignored(stop);
    if (attempt !== f.attempt) return ignored(stop);
    const handedTo = this.status === 'SCHEDULED' ? f.chosen : f.holder;
    if (token !== f.token) return ignored(worker === handedTo ? null : stop);
    if (handedTo !== null && worker !== handedTo) return ignored(stop);
    return null;
  }

  predict(step: Step, command: JobCommand): Prediction {
    const done = isDone(this.status);
    switch (command.type) {
      case 'ScheduleJob': {
        if (done || this.status !== 'PENDING') return ignored();
        if (this.deadlineAt !== null && this.now >= this.deadlineAt) return ignored();
        const waiting = ['deferred', 'capacity', 'tenant_limit', 'paused'].includes(this.hold);
        if (!waiting && this.now < this.dueAt) return ignored();
        const placement = (recordingNow: boolean): Prediction => {
          const p = command.placement;
          if (p.kind === 'fail') return becomes('FAILED');
          if (p.kind === 'wait') {
            const queue = { all_overloaded: 'capacity', tenant_limit: 'tenant_limit', paused: 'paused' }[p.reason];
            return !recordingNow && this.hold === queue ? ignored() : becomes('PENDING');
          }
          return becomes('SCHEDULED');
        };
        if (this.recorded !== null) return placement(false);
        const s = command.safety;
        if (s.kind === 'recorded') return conflict;
        if (s.kind === 'unavailable') {
          if (s.on_unavailable === 'deny') return becomes('DENIED');
          return this.hold === 'deferred' ? ignored() : becomes('PENDING');
        }
        switch (s.decision.decision) {
          case 'DENY':
            return becomes('DENIED');
          case 'REQUIRE_APPROVAL':
            return becomes('APPROVAL_REQUIRED');
          case 'THROTTLE':
            return becomes('PENDING');
          default:
            return placement(true);
        }
      }
      case 'RecordHandOff': {
        const reply = command.reply;
        if (reply.kind === 'accepted') {
          const refusal = this.admit(reply.worker_id, command.attempt, command.token);
          if (refusal !== null) return refusal;
          if (this.status !== 'SCHEDULED') return ignored();
          return becomes(reply.started_at === null ? 'DISPATCHED' : 'RUNNING');
        }
        const f = this.flight;
        if (this.status === 'SCHEDULED' && f !== null && f.attempt === command.attempt && f.token === command.token) {
          return becomes('PENDING');
        }
        return ignored();
      }
      case 'RecordReport': {
        const refusal = this.admit(command.worker_id, command.attempt, command.token);
        if (refusal !== null) return refusal;
        if (command.kind === 'started') return this.status === 'RUNNING' ? ignored() : becomes('RUNNING');
        if (success(command.status ?? '')) return becomes('SUCCEEDED');
        const retry = (command.retryable ?? true) && command.attempt < (this.maxAttempts ?? 1);
        return becomes(retry ? 'PENDING' : 'FAILED');
      }
      case 'RecordProgress': {
        const refusal = this.admit(command.worker_id, command.attempt, command.token);
        if (refusal !== null) return refusal;
        const deadline = this.flight?.runningDeadline ?? null;
        if (this.status !== 'RUNNING' || deadline === null || this.now >= deadline) return ignored();
        // SPEC 1.7: recorded at most once per quarter of the running timeout.
        const lastExtension = deadline - this.runningMs();
        return this.now - lastExtension >= this.runningMs() / 4 ? becomes('RUNNING') : ignored();
      }
      case 'CheckTimers': {
        if (done) return ignored();
        const past = (at: number | null) => at !== null && this.now >= at;
        if (this.status === 'APPROVAL_REQUIRED' && this.approval !== null) {
          const expires = this.approval.expiresAt;
          if (past(expires) && (this.deadlineAt === null || expires <= this.deadlineAt)) return becomes('DENIED');
        }
        if (past(this.deadlineAt)) return becomes('TIMEOUT');
        const f = this.flight;
        if (f === null) return ignored();
        if (!past(this.status === 'RUNNING' ? f.runningDeadline : f.dispatchDeadline)) return ignored();
        return becomes(f.attempt < (this.maxAttempts ?? 1) ? 'PENDING' : 'TIMEOUT');
      }
      case 'CancelJob':
        return done ? ignored() : becomes('CANCELLED');
      case 'ApproveJob':
      case 'RejectJob': {
        const a = this.approval;
        if (this.status !== 'APPROVAL_REQUIRED' || a === null) return conflict;
        if (command.request_hash !== a.hash || command.current_policy_version !== a.policy) return conflict;
        if (this.now >= a.expiresAt) return conflict;
        return becomes(command.type === 'ApproveJob' ? 'PENDING' : 'DENIED');
      }
      case 'ReevaluateSafety': {
        if (this.status !== 'APPROVAL_REQUIRED' || this.approval === null) return ignored();
        if (command.decision.policy_version === this.approval.policy) return ignored();
        const verdict = command.decision.decision;
        if (verdict === 'DENY') return becomes('DENIED');
        return becomes(verdict === 'REQUIRE_APPROVAL' ? 'APPROVAL_REQUIRED' : 'PENDING');
      }
      case 'TakeSnapshot':
        return done ? ignored() : becomes(this.status);
      default:
        throw new Error(`the model has no rule for ${command.type} (${step.kind})`);
    }
  }

  /** Checks the times the event carries against the spec, then moves the model. */
  accept(command: JobCommand, event: JobEvent): void {
    const { now } = this;
    const data = event.data;
    const after = data.status_after;
    if (!isDone(after)) expect(data.due_at, 'a live job’s one due time').not.toBeNull();
    if (this.deadlineAt !== null && data.due_at !== null) expect(data.due_at).toBeLessThanOrEqual(this.deadlineAt);
    const retryWindow = (at: number, maxDelay: number) => {
      expect(at).toBeGreaterThanOrEqual(now);
      expect(at).toBeLessThanOrEqual(now + maxDelay);
      expect(data.due_at).toBe(this.cap(at));
    };
    switch (event.type) {
      case 'JobScheduled': {
        if (command.type !== 'ScheduleJob') throw new Error('scheduled by another command');
        const decision = command.safety.kind === 'decided' ? command.safety.decision : null;
        if (this.recorded === null && decision !== null) this.recorded = decision;
        if (this.maxAttempts === null) {
          const retries = this.recorded?.constraints?.max_retries;
          const cap = Math.min(this.request.retry.max_attempts, MODEL_LIMITS.max_attempts);
          this.maxAttempts = retries === undefined ? cap : Math.min(cap, retries + 1);
        }
        expect(event.data.attempt).toBe(this.attemptsUsed + 1);
        expect(event.data.token).toBe(command.token);
        expect(event.data.limits).toEqual({
          dispatch_ms: this.dispatchMs(),
          running_ms: this.runningMs(),
          max_attempts: this.maxAttempts,
        });
        expect(event.data.dispatch_deadline_at).toBe(now + this.dispatchMs());
        expect(data.due_at).toBe(this.cap(now + this.dispatchMs()));
        const p = command.placement;
        this.flight = {
          attempt: event.data.attempt,
          token: command.token,
          chosen: p.kind === 'worker' ? p.worker_id : null,
          holder: null,
          dispatchDeadline: event.data.dispatch_deadline_at,
          runningDeadline: null,
        };
        this.tokens.push(command.token);
        break;
      }
      case 'JobDispatched':
      case 'JobStarted': {
        const f = this.flight;
        if (f === null) throw new Error('dispatched without a flight');
        f.holder = event.data.worker_id;
        if (after === 'RUNNING') {
          f.runningDeadline = now + this.runningMs();
          expect(event.data.running_deadline_at).toBe(f.runningDeadline);
          expect(data.due_at).toBe(this.cap(f.runningDeadline));
        } else {
          expect(data.due_at).toBe(this.cap(f.dispatchDeadline));
        }
        break;
      }
      case 'JobProgressed':
        if (this.flight !== null) this.flight.runningDeadline = now + this.runningMs();
        expect(event.data.running_deadline_at).toBe(now + this.runningMs());
        break;
      case 'JobDispatchFailed':
        retryWindow(event.data.retry_at, 30_000);
        this.flight = null;
        this.hold = 'backoff';
        break;
      case 'JobAttemptFailed':
      case 'JobAttemptTimedOut': {
        if (event.type === 'JobAttemptTimedOut') expect(event.data.stop).toEqual(this.stopOfFlight());
        if (this.flight !== null) this.attemptsUsed = this.flight.attempt;
        this.flight = null;
        this.hold = 'due';
        if ('retry_at' in event.data.outcome)
          retryWindow(event.data.outcome.retry_at, this.request.retry.max_backoff_ms);
        break;
      }
      case 'JobCancelled':
        expect(event.data.stop).toEqual(this.stopOfFlight());
        break;
      case 'JobDeferred':
        this.hold = 'deferred';
        expect(data.due_at).toBe(this.cap(now + MODEL_WAIT_RECHECK_MS));
        break;
      case 'JobQueued':
        this.hold = event.data.queue;
        if (event.data.safety !== null) this.recorded = event.data.safety;
        expect(data.due_at).toBe(this.cap(now + MODEL_WAIT_RECHECK_MS));
        break;
      case 'JobThrottled':
        this.hold = 'throttled';
        expect(data.due_at).toBe(this.cap(now + (event.data.safety.retry_after_ms ?? 1_000)));
        break;
      case 'JobApprovalRequired':
        if (command.type !== 'ScheduleJob') throw new Error('approval asked by another command');
        this.approval = {
          hash: command.request_hash,
          policy: event.data.safety.policy_version,
          expiresAt: now + MODEL_APPROVAL_TTL_MS,
          decision: event.data.safety,
        };
        expect(event.data.expires_at).toBe(this.approval.expiresAt);
        expect(data.due_at).toBe(this.cap(this.approval.expiresAt));
        break;
      case 'JobApproved':
        this.recorded = this.approval?.decision ?? null;
        this.approval = null;
        this.hold = 'due';
        expect(data.due_at).toBe(this.cap(now));
        break;
      case 'JobSafetyReevaluated': {
        if (command.type !== 'ReevaluateSafety' || this.approval === null) throw new Error('not re-evaluated');
        const verdict = event.data.safety.decision;
        if (after === 'APPROVAL_REQUIRED') {
          this.approval = { ...this.approval, hash: command.request_hash, policy: event.data.safety.policy_version };
          expect(data.due_at).toBe(this.cap(this.approval.expiresAt));
        } else if (after === 'PENDING') {
          this.hold = verdict === 'THROTTLE' ? 'throttled' : 'due';
          if (verdict !== 'THROTTLE') this.recorded = event.data.safety;
          this.approval = null;
          expect(data.due_at).toBe(this.cap(verdict === 'THROTTLE' ? now + 1_000 : now));
        }
        break;
      }
      default:
        break;
    }
    if (after === 'PENDING' && data.due_at !== null) this.dueAt = data.due_at;
    if (isDone(after) && !isDone(this.status)) this.terminalEvents += 1;
    if (isDone(after)) this.flight = null;
    this.status = after;
  }
}
