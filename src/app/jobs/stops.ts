/**
 * Telling a worker (or a pool, for a topic-queue hand-off not yet accepted) to stop an attempt
 * (SPEC 1.9). Core messages: a lost one is covered by the attempt's deadline on the worker's side.
 */
import type { StopTarget } from '../../domain/job/events.ts';
import type { StopMessage } from '../../domain/protocol/messages.ts';
import type { JobRuntime } from './runtime.ts';

export function publishStop(rt: JobRuntime, stop: StopTarget, tenant: string, jobId: string, reason: string): void {
  const message: StopMessage = { job_id: jobId, tenant, attempt: stop.attempt, reason };
  const subject =
    stop.kind === 'worker' ? rt.subjects.workerCancel(stop.worker_id) : rt.subjects.queueCancel(stop.pool);
  rt.bus.publish(subject, message);
}
