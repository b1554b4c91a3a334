/**
 * Worker reports (SPEC 1.8): `started` notices and results read from the capture stream, and progress
 * from core messages, each recorded through the job decider. A report that does not count (old attempt,
 * wrong token, not the holder, job finished) changes nothing, is counted, and its sender is told to stop.
 */
import type { ProgressMessage, ReportMessage } from '../../domain/protocol/messages.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { BusMessage, CapturedMessage } from '../ports.ts';
import { executeJob } from './job-repository.ts';
import type { JobRuntime } from './runtime.ts';
import { publishStop } from './stops.ts';

export interface ReportCounters {
  recorded: number;
  ignored: number;
  malformed: number;
}

export async function recordReport(rt: JobRuntime, message: CapturedMessage, counters: ReportCounters): Promise<void> {
  const report = asReport(message.data);
  if (report === null) {
    counters.malformed++;
    rt.metrics.reportHandled('malformed');
    rt.log.warn(
      { position: message.position, subject: message.subject, raw: message.raw.slice(0, 200) },
      'malformed worker report skipped',
    );
    return;
  }
  const executed = await executeJob(
    rt.jobs,
    streamId('job', report.tenant, report.job_id),
    () => ({
      type: 'RecordReport',
      kind: report.type,
      worker_id: report.worker_id,
      token: report.token,
      attempt: report.attempt,
      status: report.status ?? null,
      result: report.result ?? null,
      result_ptr: report.result_ptr ?? null,
      error_code: report.error_code ?? null,
      error_message: report.error_message ?? null,
      retryable: report.retryable ?? null,
      execution_ms: report.execution_ms ?? null,
      now: rt.clock.now(),
      jitter: rt.entropy.random(),
    }),
    { actor: `worker:${report.worker_id}`, causation_id: `report:${message.position}` },
  );
  if (executed instanceof Error) {
    counters.ignored++;
    rt.metrics.reportHandled('ignored');
    rt.log.warn({ job_id: report.job_id, err: executed }, 'worker report refused');
    return;
  }
  if (executed.appended === null) {
    counters.ignored++;
    rt.metrics.reportHandled('ignored');
    rt.log.debug(
      { job_id: report.job_id, worker_id: report.worker_id, ignored: executed.decision.ignored },
      'worker report ignored',
    );
  } else {
    counters.recorded++;
    rt.metrics.reportHandled('recorded');
    const type = executed.appended.type;
    if (type === 'JobSucceeded' || type === 'JobAttemptFailed') {
      // The worker has a slot free again; its next heartbeat says so too, later.
      rt.registry.recordCompletion(report.worker_id, typeof report.sent_at === 'number' ? report.sent_at : null);
    }
  }
  if (executed.decision.stop !== undefined) {
    publishStop(rt, executed.decision.stop, report.tenant, report.job_id, executed.decision.ignored ?? 'stop');
  }
}

export async function recordProgress(rt: JobRuntime, message: BusMessage): Promise<void> {
  const progress = asProgress(message.data);
  if (progress === null) return;
  const executed = await executeJob(
    rt.jobs,
    streamId('job', progress.tenant, progress.job_id),
    () => ({
      type: 'RecordProgress',
      worker_id: progress.worker_id,
      token: progress.token,
      attempt: progress.attempt,
      progress: progress.progress ?? null,
      now: rt.clock.now(),
    }),
    { actor: `worker:${progress.worker_id}` },
  );
  if (!(executed instanceof Error) && executed.decision.stop !== undefined) {
    publishStop(rt, executed.decision.stop, progress.tenant, progress.job_id, executed.decision.ignored ?? 'stop');
  }
}

const text = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;
const attempt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;

function asReport(data: unknown): ReportMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const r = data as Record<string, unknown>;
  if (r.type !== 'started' && r.type !== 'result') return null;
  if (!text(r.job_id) || !text(r.tenant) || !text(r.token) || !text(r.worker_id) || !attempt(r.attempt)) return null;
  if (r.status !== undefined && typeof r.status !== 'string') return null;
  if (r.retryable !== undefined && typeof r.retryable !== 'boolean') return null;
  for (const field of ['error_code', 'error_message', 'result_ptr'] as const) {
    if (r[field] !== undefined && r[field] !== null && typeof r[field] !== 'string') return null;
  }
  if (r.execution_ms !== undefined && r.execution_ms !== null && typeof r.execution_ms !== 'number') return null;
  return r as unknown as ReportMessage;
}

function asProgress(data: unknown): ProgressMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const p = data as Record<string, unknown>;
  if (!text(p.job_id) || !text(p.tenant) || !text(p.token) || !text(p.worker_id) || !attempt(p.attempt)) return null;
  return p as unknown as ProgressMessage;
}
