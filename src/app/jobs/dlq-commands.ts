/**
 * DLQ commands (SPEC 1.10). A retry first records itself on the entry, with the deterministic new id
 * `<job_id>.r<n>`, then creates the new job — the full original request minus its idempotency key, with
 * `retry_of` — with expected position 0. Retrying a retried entry returns the same job; if a crash fell
 * between the two steps, the reactor on DLQ events (or the next retry) completes the creation.
 */
import type { DlqDecision } from '../../domain/dlq/commands.ts';
import { decideDlq } from '../../domain/dlq/decide.ts';
import { retrySubmissionOf } from '../../domain/dlq/retry.ts';
import type { DlqState } from '../../domain/dlq/state.ts';
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { Hasher, KvBucket } from '../ports.ts';
import type { JobRuntime } from './runtime.ts';
import { type IdempotencyClaim, submitJob } from './submit.ts';

export interface RetryAnswer {
  readonly job_id: string;
  /** The new job's last position. */
  readonly position: number;
  /** False when the entry had been retried before (the same job is returned). */
  readonly created: boolean;
}

export interface DlqDeps {
  readonly claims: KvBucket<IdempotencyClaim>;
  readonly hasher: Hasher;
}

export async function retryDlqEntry(
  rt: JobRuntime,
  deps: DlqDeps,
  tenant: string,
  jobId: string,
  by: string,
): Promise<RetryAnswer> {
  const executed = await rt.dlq.execute<DlqDecision>(
    streamId('dlq', tenant, jobId),
    (entry) => decideDlq({ type: 'RetryDlqEntry', by, now: rt.clock.now() }, entry.state),
    { actor: by },
  );
  if (executed instanceof Error) throw executed;
  const created = await ensureRetryJob(rt, deps, executed.after.state, by);
  return { ...created, created: executed.appended !== null };
}

/** Creates the job a recorded retry names, if it does not exist yet (idempotent). */
export async function ensureRetryJob(
  rt: JobRuntime,
  deps: DlqDeps,
  entry: DlqState,
  actor: string,
): Promise<{ job_id: string; position: number }> {
  if (entry.status === 'NONE') throw new NotFoundError('no such DLQ entry', 'dlq_entry_not_found');
  const submission = retrySubmissionOf(entry);
  if (submission === null) throw new ConflictError('the entry has not been retried', 'not_retried');
  try {
    const submitted = await submitJob(
      {
        jobs: rt.jobs,
        claims: deps.claims,
        config: rt.config,
        clock: rt.clock,
        entropy: rt.entropy,
        hasher: deps.hasher,
      },
      {
        tenant: submission.tenant,
        input: submission.input,
        idempotency_key: null,
        derived_id: submission.job_id,
        actor,
      },
    );
    return { job_id: submitted.job_id, position: submitted.position };
  } catch (error) {
    if (!(error instanceof ConflictError) || error.code !== 'job_exists') throw error;
    const job = await rt.jobs.load(streamId('job', submission.tenant, submission.job_id));
    return { job_id: submission.job_id, position: job.position };
  }
}

export async function deleteDlqEntry(
  rt: JobRuntime,
  tenant: string,
  jobId: string,
  by: string,
): Promise<{ position: number }> {
  const executed = await rt.dlq.execute<DlqDecision>(
    streamId('dlq', tenant, jobId),
    (entry) => decideDlq({ type: 'DeleteDlqEntry', by, now: rt.clock.now() }, entry.state),
    { actor: by },
  );
  if (executed instanceof Error) throw executed;
  return { position: executed.after.position };
}
