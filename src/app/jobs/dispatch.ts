/**
 * Dispatch (SPEC 1.4, 1.6): deciding where a PENDING job goes, and handing it over.
 *
 * `scheduleJob`: effective config → safety (once per job) → tenant slot → least-loaded choice → one
 * `ScheduleJob` decision, one event. `handOff`: the side effect of a `JobScheduled` event — the request
 * to the chosen worker or the pool's queue, then the reply recorded (`JobDispatched`, or
 * `JobDispatchFailed` for a refusal or no responders). A request that times out records nothing and
 * tries no other worker: the dispatch deadline decides. Both re-check the job's current state first and
 * are safe to repeat (a worker asked again for an attempt it holds answers accept).
 */
import { chooseTarget } from '../../domain/dispatch/choose-target.ts';
import { tenantLimit } from '../../domain/dispatch/tenant-limit.ts';
import { timeoutsForTopic } from '../../domain/config/settings.ts';
import { mayHoldForCapacity, stillQueued } from '../../domain/job/decide-schedule.ts';
import type { HandOffReply as DecidedReply, Placement, SafetyInput } from '../../domain/job/commands.ts';
import type { SafetyDecision } from '../../domain/job/events.ts';
import type { JobState, ScheduledJob } from '../../domain/job/state.ts';
import type { HandOffReply } from '../../domain/protocol/messages.ts';
import type { StreamId } from '../../domain/shared/stream.ts';
import { partitionOf } from '../../domain/shared/stream.ts';
import type { ResolvedConfig } from '../config/job-config.ts';
import { jobLogFields } from '../log-fields.ts';
import { dispatchMessageFor } from './dispatch-message.ts';
import { executeJob } from './job-repository.ts';
import { publishStop } from './stops.ts';
import type { JobRuntime } from './runtime.ts';

/** `held`: no capacity yet, kept in the caller's memory (no event) with the safety answer to reuse. */
export type ScheduleOutcome = 'scheduled' | 'waiting' | 'decided' | 'unchanged' | Held;

export interface Held {
  readonly kind: 'held';
  readonly safety: SafetyInput;
}

/**
 * A caller that can hold jobs in memory while they wait briefly for capacity: how long (from the time
 * a job became due), and the safety answer it kept for this job when it held it before (the check
 * counts admissions and may call a remote kernel, so it is made once per job).
 */
export interface CapacityHold {
  readonly graceMs: number;
  readonly kept: SafetyInput | null;
}

/** Decides where a PENDING job goes; hands it over at once when it was scheduled. */
export async function scheduleJob(rt: JobRuntime, stream: StreamId, hold?: CapacityHold): Promise<ScheduleOutcome> {
  const current = await rt.jobs.load(stream);
  const state = current.state;
  if (state.status !== 'PENDING') return 'unchanged';
  const config = await rt.config.forJob(state.request);
  const settings = config.settings;
  const safety: SafetyInput =
    state.safety !== null ? { kind: 'recorded' } : (hold?.kept ?? (await rt.safety.check(state.request, config)));
  const decision = state.safety ?? (safety.kind === 'decided' ? safety.decision : null);

  let placement: Placement = { kind: 'wait', reason: 'all_overloaded' };
  let slotTaken = false;
  if (decision !== null && allowsDispatch(decision)) {
    const limit = tenantLimit(settings.limits, state.request.tenant, decision.constraints?.max_concurrent_jobs ?? null);
    if (limit !== null) {
      slotTaken = await rt.slots.take(state.request.tenant, state.request.job_id, limit);
    }
    placement =
      limit !== null && !slotTaken
        ? { kind: 'wait', reason: 'tenant_limit' }
        : chooseTarget({
            job: state.request,
            registry: rt.registry.registry,
            routing: settings.routing,
            now: rt.clock.now(),
            tieBreak: rt.entropy.random(),
          });
  }
  if (hold !== undefined && mayHoldForCapacity(state, decision, placement, rt.clock.now(), hold.graceMs)) {
    if (slotTaken) await rt.slots.release(state.request.tenant, state.request.job_id);
    return { kind: 'held', safety };
  }
  if (stillQueued(state, placement)) {
    // Woken with the rest of a wait queue and no room yet: the decision would append nothing.
    if (slotTaken) await rt.slots.release(state.request.tenant, state.request.job_id);
    return 'unchanged';
  }
  // The choice counts against the worker at once, before any await: jobs scheduled concurrently (a
  // burst, or a wait queue woken by one freed slot) each see the ones chosen before them.
  const reserved = placement.kind === 'worker' ? placement.worker_id : null;
  if (reserved !== null) rt.registry.recordAssignment(reserved);
  const timeouts = timeoutsForTopic(settings.timeouts, state.request.topic);
  const approvalHash =
    safety.kind === 'decided' && safety.decision.decision === 'REQUIRE_APPROVAL'
      ? rt.safety.requestHash(state.request)
      : '';
  const executed = await executeJob(
    rt.jobs,
    stream,
    (job) => ({
      type: 'ScheduleJob',
      now: rt.clock.now(),
      safety: job.state.status === 'PENDING' && job.state.safety !== null ? { kind: 'recorded' } : safety,
      placement,
      limits: {
        dispatch_ms: timeouts.dispatch_ms,
        running_ms: timeouts.running_ms,
        max_attempts: rt.options.maxAttempts,
      },
      token: rt.entropy.token(),
      // Read only when this decision asks for approval: no canonical JSON and SHA-256 per job otherwise.
      request_hash: approvalHash,
      approval_ttl_ms: settings.safety.approval_ttl_ms,
      wait_recheck_ms: rt.options.waitRecheckMs,
    }),
    { actor: 'scheduler' },
  );
  const appended = executed instanceof Error ? null : executed.appended;
  const scheduled = appended?.type === 'JobScheduled';
  if (reserved !== null && !scheduled) rt.registry.releaseAssignment(reserved);
  if (executed instanceof Error) {
    if (slotTaken) await rt.slots.release(state.request.tenant, state.request.job_id);
    throw executed;
  }
  if (slotTaken && !scheduled) await rt.slots.release(state.request.tenant, state.request.job_id);
  if (!scheduled)
    return appended === null
      ? 'unchanged'
      : appended.type === 'JobQueued' || appended.type === 'JobDeferred'
        ? 'waiting'
        : 'decided';
  const after = executed.after.state as ScheduledJob;
  await rt.effects.run(handOffKey(stream, after.attempt, after.token), () => handOff(rt, stream, config));
  return 'scheduled';
}

/** The key of the hand-off effect of one attempt (see EffectRegistry). */
export function handOffKey(stream: StreamId, attempt: number, token: string): string {
  return `handoff:${stream.tenant}:${stream.id}:${attempt}:${token}`;
}

function allowsDispatch(decision: SafetyDecision): boolean {
  // An approved REQUIRE_APPROVAL is recorded as the job's decision: it allows dispatch.
  return decision.decision !== 'DENY' && decision.decision !== 'THROTTLE';
}

/**
 * Hands the job's current attempt to its target, if it is still SCHEDULED (the effect of `JobScheduled`).
 * Returns once the reply is recorded, or at once when there is nothing (more) to do.
 */
export async function handOff(rt: JobRuntime, stream: StreamId, knownConfig?: ResolvedConfig): Promise<void> {
  const current = await rt.jobs.load(stream);
  if (current.state.status !== 'SCHEDULED') return;
  const job: ScheduledJob = current.state;
  const config = knownConfig ?? (await rt.config.forJob(job.request));
  const partition = partitionOf(stream, rt.options.partitions);
  const message = dispatchMessageFor(job, config, partition, rt.subjects);
  const subject =
    job.target.kind === 'worker'
      ? rt.subjects.directJobs(job.target.worker_id)
      : rt.subjects.queueJobs(job.target.pool, job.request.topic);
  const timeout = Math.max(1, Math.min(rt.options.handOffTimeoutMs, job.dispatch_deadline_at - rt.clock.now()));
  const outcome = await rt.bus.request(subject, message, timeout);
  rt.metrics.handOff(
    outcome.kind === 'reply'
      ? (outcome.data as { accepted?: unknown } | null)?.accepted === true
        ? 'accepted'
        : 'refused'
      : outcome.kind,
  );
  if (outcome.kind === 'timeout') {
    rt.log.warn(
      { ...jobLogFields(job.request), attempt: job.attempt, subject },
      'hand-off timed out; the dispatch deadline decides',
    );
    return;
  }
  if (outcome.kind === 'no_responders' && job.target.kind === 'worker') rt.registry.suspend(job.target.worker_id);
  const reply = outcome.kind === 'no_responders' ? ({ kind: 'no_responders' } as const) : toDecidedReply(outcome.data);
  if (reply === null) {
    rt.log.warn(
      { ...jobLogFields(job.request), reply: outcome.kind === 'reply' ? outcome.data : null },
      'malformed hand-off reply ignored',
    );
    return;
  }
  if (reply.kind === 'accepted') rt.crash.hit('scheduler.after_accept_before_append');
  const settings = config.settings;
  const executed = await executeJob(
    rt.jobs,
    stream,
    () => ({
      type: 'RecordHandOff',
      attempt: job.attempt,
      token: job.token,
      reply,
      now: rt.clock.now(),
      backoff: {
        initial_backoff_ms: settings.dispatch.backoff_base_ms,
        max_backoff_ms: settings.dispatch.backoff_cap_ms,
        multiplier: 2,
        jitter: 0.5,
      },
      jitter: rt.entropy.random(),
    }),
    { actor: reply.kind === 'accepted' ? `worker:${reply.worker_id}` : 'scheduler' },
  );
  if (executed instanceof Error) throw executed;
  if (executed.appended?.type === 'JobDispatched') {
    rt.metrics.dispatchLatency(Math.max(0, rt.clock.now() - job.keys.created_at) / 1000);
  }
  if (executed.decision.stop !== undefined)
    publishStop(rt, executed.decision.stop, job.request.tenant, job.request.job_id, 'not the holder');
}

function toDecidedReply(data: unknown): DecidedReply | null {
  if (typeof data !== 'object' || data === null) return null;
  const reply = data as Partial<HandOffReply>;
  if (typeof reply.worker_id !== 'string' || reply.worker_id === '') return null;
  if (reply.accepted === true) {
    const startedAt = (reply as { started_at?: unknown }).started_at;
    return {
      kind: 'accepted',
      worker_id: reply.worker_id,
      started_at: typeof startedAt === 'number' ? startedAt : null,
    };
  }
  if (reply.accepted === false) return { kind: 'refused', worker_id: reply.worker_id };
  return null;
}

export type { JobState };
