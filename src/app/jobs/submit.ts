/**
 * Submitting a job (SPEC 1.3), for the API and the bus alike. With an idempotency key the key is
 * claimed first, per tenant, in a KV bucket whose entries live for the key's TTL (it survives the loss
 * of Redis); the claim names the job id and a hash of the request. The job is then created with
 * expected position 0, so a client retrying after a crash between claim and append completes that same
 * job and never creates a second. The same key with another body is a conflict.
 */
import type { JobDecision } from '../../domain/job/commands.ts';
import { decide } from '../../domain/job/decide.ts';
import type { JobState } from '../../domain/job/state.ts';
import type { IdSource, JobSubmissionInput, SubmissionLimits } from '../../domain/job/submission.ts';
import { DEFAULT_SUBMISSION_LIMITS } from '../../domain/job/submission.ts';
import { canonicalJson } from '../../domain/shared/canonical-json.ts';
import { ConflictError, ValidationError } from '../../domain/shared/errors.ts';
import { isClientId } from '../../domain/shared/ids.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { JobConfigResolver } from '../config/job-config.ts';
import type { Clock, Entropy, Hasher, KvBucket } from '../ports.ts';
import type { JobRepository } from './job-repository.ts';

export interface IdempotencyClaim {
  readonly job_id: string;
  readonly request_hash: string;
}

export interface SubmitDeps {
  readonly jobs: JobRepository;
  readonly claims: KvBucket<IdempotencyClaim>;
  readonly config: JobConfigResolver;
  readonly clock: Clock;
  readonly entropy: Entropy;
  readonly hasher: Hasher;
  readonly limits?: SubmissionLimits;
}

export interface Submission {
  readonly tenant: string;
  readonly input: JobSubmissionInput & { readonly job_id?: unknown };
  /** From the body or the `Idempotency-Key` header. */
  readonly idempotency_key: string | null;
  /** Ids Coretex derives (bus, DLQ retry, workflow step): the caller names the id. */
  readonly derived_id?: string;
  readonly actor: string;
  /** What caused the submission (e.g. the bus message), recorded on `JobSubmitted`. */
  readonly causation_id?: string;
  /**
   * What an idempotency key is bound to, when it is not `input`: the request as the client sent it,
   * before the edge added what it derives per request (a traceparent's `env.traceparent` and
   * `trace_id`), so a retry in a new span is still the same request.
   */
  readonly fingerprint?: unknown;
}

export interface Submitted {
  readonly job_id: string;
  readonly trace_id: string;
  readonly state: JobState;
  /** The job's last position. */
  readonly position: number;
  /** True when this answered a replay of an earlier submission (same key and body). */
  readonly replayed: boolean;
}

const MAX_KEY_LENGTH = 255;

export async function submitJob(deps: SubmitDeps, submission: Submission): Promise<Submitted> {
  const { tenant, input } = submission;
  const key = submission.idempotency_key ?? (typeof input.idempotency_key === 'string' ? input.idempotency_key : null);
  if (key !== null && (key.length === 0 || key.length > MAX_KEY_LENGTH)) {
    throw new ValidationError('idempotency_key', `idempotency_key must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  const requested = pickJobId(submission, () => deps.entropy.ulid(deps.clock.now()));
  let jobId = requested.id;
  let claimed = false;
  /** The claim this call made, so a submission the decider refuses leaves the key free. */
  let made: { key: string; revision: number } | null = null;
  if (key !== null) {
    const bound = (submission.fingerprint ?? input) as Record<string, unknown>;
    const requestHash = deps.hasher.sha256(canonicalJson({ ...bound, idempotency_key: key }));
    const claimKey = `${tenant}.${deps.hasher.sha256(key)}`;
    for (;;) {
      const existing = await deps.claims.get(claimKey);
      if (existing !== null) {
        if (existing.value.request_hash !== requestHash) {
          throw new ConflictError('this idempotency key was used with a different request', 'idempotency_key_reused');
        }
        jobId = existing.value.job_id;
        claimed = true;
        break;
      }
      const revision = await deps.claims.create(claimKey, { job_id: jobId, request_hash: requestHash });
      if (revision !== null) {
        made = { key: claimKey, revision };
        break;
      }
    }
  }

  const stream = streamId('job', tenant, jobId);
  const config = await deps.config.resolve({
    org_id: tenant,
    team_id: teamOf(input),
    workflow_id: null,
    step_id: null,
  });
  const executed = await deps.jobs.execute<JobDecision>(
    stream,
    (job) =>
      decide(
        {
          type: 'SubmitJob',
          tenant,
          job_id: jobId,
          id_source: requested.source,
          input: { ...input, idempotency_key: key },
          now: deps.clock.now(),
          fresh_trace_id: deps.entropy.token(),
          defaults: config.settings.retry,
          limits: deps.limits ?? DEFAULT_SUBMISSION_LIMITS,
        },
        job.state,
      ),
    {
      actor: submission.actor,
      causation_id: submission.causation_id ?? null,
      // A fresh ULID names no job yet: no read before the append (the expected position 0 still guards).
      expectNew: requested.source === 'generated' && !claimed,
    },
  );
  if (executed instanceof ConflictError && executed.code === 'job_exists' && claimed) {
    // A replay: the claim names this job, which exists. Answer with it as it is now.
    const job = await deps.jobs.load(stream, { fresh: true });
    return answer(jobId, job.state, job.position, true);
  }
  if (executed instanceof Error) {
    // Refused by the decider (bad input, or a client job id that is taken): nothing was appended, so
    // the claim goes too. Any other failure keeps it: the append may have landed, and a retry with
    // the key must find that job rather than create a second.
    const refused = executed instanceof ValidationError || (executed instanceof ConflictError && !claimed);
    if (refused && made !== null) await deps.claims.delete(made.key, made.revision).catch(() => false);
    throw executed;
  }
  return answer(jobId, executed.after.state, executed.after.position, false);
}

function answer(jobId: string, state: JobState, position: number, replayed: boolean): Submitted {
  const traceId = state.status === 'NONE' ? '' : state.keys.trace_id;
  return { job_id: jobId, trace_id: traceId, state, position, replayed };
}

function pickJobId(submission: Submission, generate: () => string): { id: string; source: IdSource } {
  if (submission.derived_id !== undefined) return { id: submission.derived_id, source: 'derived' };
  const given = submission.input.job_id;
  if (given === undefined || given === null) return { id: generate(), source: 'generated' };
  if (typeof given !== 'string' || !isClientId(given)) {
    throw new ValidationError('job_id', 'job_id must match ^[A-Za-z0-9_-]{1,64}$');
  }
  return { id: given, source: 'client' };
}

function teamOf(input: JobSubmissionInput): string | null {
  return typeof input.team === 'string' && input.team.length > 0 ? input.team : null;
}
