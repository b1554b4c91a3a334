/**
 * The side effects job events drive (ARCHITECTURE.md section 5: the event log is the outbox). Each
 * re-checks the job's current state and is idempotent, so a replay after a crash repeats nothing:
 *   JobScheduled           → hand the attempt over (if still SCHEDULED)
 *   stop in an event       → tell the worker or pool to stop (cancel, timeout)
 *   leaves flight          → give the tenant slot back and wake that tenant's waiting jobs
 *   FAILED/TIMEOUT/DENIED  → a DLQ entry (ad-hoc jobs only; created with expected position 0)
 */
import { deadLetterFor } from '../../domain/dlq/reason.ts';
import { decideDlq } from '../../domain/dlq/decide.ts';
import type { DlqDecision } from '../../domain/dlq/commands.ts';
import { tenantLimit } from '../../domain/dispatch/tenant-limit.ts';
import type { JobEvent, JobStatus } from '../../domain/job/events.ts';
import { isTerminal } from '../../domain/job/events.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { streamId, type StreamId } from '../../domain/shared/stream.ts';
import { jobLogFields } from '../log-fields.ts';
import { handOff, handOffKey } from './dispatch.ts';
import type { JobRuntime } from './runtime.ts';
import { publishStop } from './stops.ts';

const IN_FLIGHT: ReadonlySet<JobStatus> = new Set(['SCHEDULED', 'DISPATCHED', 'RUNNING']);

export async function reactTo(rt: JobRuntime, stored: StoredEvent, stream: StreamId): Promise<void> {
  const event = { type: stored.type, data: stored.data } as JobEvent;
  const data = event.data;
  switch (event.type) {
    case 'JobScheduled':
      await rt.effects.run(handOffKey(stream, event.data.attempt, event.data.token), () => handOff(rt, stream));
      break;
    case 'JobCancelled':
    case 'JobAttemptTimedOut':
      if (event.data.stop !== null) {
        publishStop(
          rt,
          event.data.stop,
          stored.tenant,
          data.keys.job_id,
          event.type === 'JobCancelled' ? 'cancelled' : 'timed out',
        );
      }
      break;
    default:
      break;
  }
  if (data.status_before !== null && IN_FLIGHT.has(data.status_before) && !IN_FLIGHT.has(data.status_after)) {
    await releaseSlot(rt, stream, stored.position);
  }
  if (isTerminal(data.status_after) && data.status_before !== data.status_after) {
    await deadLetter(rt, stored, event, stream);
  }
}

async function releaseSlot(rt: JobRuntime, stream: StreamId, position: number): Promise<void> {
  const job = await rt.jobs.load(stream, { atLeast: position });
  const state = job.state;
  if (state.status === 'NONE' || !('request' in state)) return;
  const config = await rt.config.forJob(state.request);
  const limit = tenantLimit(
    config.settings.limits,
    stream.tenant,
    state.safety?.constraints?.max_concurrent_jobs ?? null,
  );
  // No limit now: nothing waits for a slot, so no KV round trip per finished job. A slot taken under an
  // older config that had one is given back by the reconciler's recount (every 30 s).
  if (limit === null) return;
  await rt.slots.release(stream.tenant, stream.id);
  rt.bus.publish(rt.subjects.tenantFreed(stream.tenant), { tenant: stream.tenant });
}

async function deadLetter(rt: JobRuntime, stored: StoredEvent, event: JobEvent, stream: StreamId): Promise<void> {
  const job = await rt.jobs.load(stream, { atLeast: stored.position });
  const command = deadLetterFor(job.state, event, rt.clock.now());
  if (command === null) return;
  const executed = await rt.dlq.execute<DlqDecision>(
    streamId('dlq', stream.tenant, stream.id),
    (entry) => decideDlq(command, entry.state),
    { actor: 'scheduler', causation_id: stored.id },
  );
  if (executed instanceof Error) {
    rt.log.error({ ...jobLogFields(command.request), err: executed }, 'DLQ entry not recorded');
  } else if (executed.appended !== null) {
    // A job that failed for good is an operator's business: one line, found by its job or its trace.
    rt.log.info(
      { ...jobLogFields(command.request), final_state: command.final_state, reason_code: command.reason_code },
      'job dead-lettered',
    );
  }
}
