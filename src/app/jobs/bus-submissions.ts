/**
 * Jobs submitted on the bus (SPEC 1.3): `<prefix>.sys.job.submit.<tenant>`, captured by JetStream and
 * read in order by one consumer at a time (under a lease, from its cursor). The tenant is the subject's
 * last token — NATS permissions restrict each submitter to its own — and the job id is the client's,
 * else `bus.<sequence>`, so a redelivery never makes a second job. A request that is not valid is
 * recorded as rejected (parked, with the reason) and skipped; a failure of ours is retried, then parked.
 */
import { ConflictError, ValidationError } from '../../domain/shared/errors.ts';
import { busJobId, isClientId, isTenant } from '../../domain/shared/ids.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { CapturedMessage, CursorStore, Hasher, KvBucket, Lease, LeaseStore, Subscription } from '../ports.ts';
import type { JobRuntime } from './runtime.ts';
import { type IdempotencyClaim, submitJob } from './submit.ts';

export interface BusSubmissionsDeps {
  readonly leases: LeaseStore;
  readonly cursors: CursorStore;
  readonly claims: KvBucket<IdempotencyClaim>;
  readonly hasher: Hasher;
  readonly prefix: string;
}

export interface BusSubmissionStats {
  accepted: number;
  replayed: number;
  rejected: number;
}

const CURSOR = 'bus.submissions';

function causationOf(message: CapturedMessage): string {
  return `bus:${message.position}`;
}

export class BusSubmissions {
  readonly stats: BusSubmissionStats = { accepted: 0, replayed: 0, rejected: 0 };
  readonly #rt: JobRuntime;
  readonly #deps: BusSubmissionsDeps;
  readonly #owner: string;
  readonly #leaseTtlMs: number;
  #lease: Lease | null = null;
  #subscription: Subscription | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #saved = 0;

  constructor(rt: JobRuntime, deps: BusSubmissionsDeps, owner: string, leaseTtlMs = 6_000) {
    this.#rt = rt;
    this.#deps = deps;
    this.#owner = owner;
    this.#leaseTtlMs = leaseTtlMs;
    rt.parking.handle('bus-submission', (parked) => this.#submit(parked.input as CapturedMessage));
  }

  start(): void {
    const loop = () => {
      if (this.#stopped) return;
      void this.#step().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(loop, Math.min(2_000, Math.floor(this.#leaseTtlMs / 3)));
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#subscription?.stop();
    this.#subscription = null;
    if (this.#lease !== null) await this.#deps.leases.release(this.#lease).catch(() => false);
  }

  async #step(): Promise<void> {
    try {
      this.#lease =
        this.#lease === null
          ? await this.#deps.leases.acquire('bus.submissions', this.#owner, this.#leaseTtlMs)
          : await this.#deps.leases.renew(this.#lease, this.#leaseTtlMs);
      if (this.#lease === null) {
        await this.#subscription?.stop();
        this.#subscription = null;
        return;
      }
      if (this.#subscription === null) {
        const from = await this.#deps.cursors.load(CURSOR);
        this.#saved = from;
        this.#subscription = this.#rt.bus.readCaptured(
          `${this.#deps.prefix}.sys.job.submit.>`,
          { from: from + 1 },
          (batch) => this.#onBatch(batch),
        );
      }
    } catch (error) {
      this.#rt.log.error({ err: error }, 'bus submissions step failed');
    }
  }

  async #onBatch(batch: readonly CapturedMessage[]): Promise<void> {
    // In order: a tenant's submissions keep their order, and the cursor is exact.
    for (const message of batch) {
      await this.#rt.parking.attempt('bus-submission', message.position, message.subject, message, () =>
        this.#submit(message),
      );
    }
    const last = batch.at(-1)?.position;
    if (last !== undefined && last > this.#saved) {
      await this.#deps.cursors.save(CURSOR, last);
      this.#saved = last;
    }
  }

  /** Whether the job this message names was created by this message (rather than by another one). */
  async #madeBy(tenant: string, message: CapturedMessage): Promise<boolean> {
    const body = message.data as { job_id?: unknown } | undefined;
    const jobId = typeof body?.job_id === 'string' ? body.job_id : busJobId(message.position);
    const history = await this.#rt.events.read(streamId('job', tenant, jobId), { from: 1 });
    return history.events[0]?.causation_id === causationOf(message);
  }

  async #submit(message: CapturedMessage): Promise<void> {
    const tenant = message.subject.split('.').at(-1) ?? '';
    const data = message.data;
    try {
      if (!isTenant(tenant)) throw new ValidationError('subject', `no valid tenant in ${message.subject}`);
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        throw new ValidationError('body', 'a bus submission is a JSON object');
      }
      const body = data as Record<string, unknown>;
      const clientId = typeof body.job_id === 'string' && isClientId(body.job_id) ? body.job_id : null;
      if (body.job_id !== undefined && clientId === null)
        throw new ValidationError('job_id', 'job_id must match ^[A-Za-z0-9_-]{1,64}$');
      const { job_id: _id, idempotency_key: key, ...input } = body;
      const submitted = await submitJob(
        {
          jobs: this.#rt.jobs,
          claims: this.#deps.claims,
          config: this.#rt.config,
          clock: this.#rt.clock,
          entropy: this.#rt.entropy,
          hasher: this.#deps.hasher,
        },
        {
          tenant,
          input: clientId === null ? input : { ...input, job_id: clientId },
          idempotency_key: typeof key === 'string' ? key : null,
          ...(clientId === null ? { derived_id: busJobId(message.position) } : {}),
          actor: `bus:${tenant}`,
          causation_id: causationOf(message),
        },
      );
      if (submitted.replayed) this.stats.replayed++;
      else this.stats.accepted++;
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'job_exists' && (await this.#madeBy(tenant, message))) {
        // This very message was submitted before (a replay after a crash): nothing to do.
        this.stats.replayed++;
        return;
      }
      if (error instanceof ValidationError || error instanceof ConflictError) {
        this.stats.rejected++;
        await this.#rt.parking.park({
          source: 'bus-submission-rejected',
          position: message.position,
          subject: message.subject,
          input: message.data ?? message.raw,
          error: `${error.name} (${error instanceof ValidationError ? error.field : error.code}): ${error.message}`,
          attempts: 1,
        });
        return;
      }
      throw error;
    }
  }
}
