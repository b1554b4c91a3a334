/**
 * The archiver (docs/retention.md), run by the projector role, one active at a time under a lease. It
 * follows the job stream from its saved cursor; for each job that reached a terminal state at least
 * `archiveAfterMs` ago it copies the job's whole history (every envelope, positions included) into the
 * archive, then appends `JobArchived{archive_ref}`, on which read models drop the job. The cursor is
 * saved only after a batch's `JobArchived` events are stored, so a crash anywhere replays the batch:
 * a history already written is written again with the same bytes (idempotent), and a job already
 * archived is not archived twice (the decider ignores it).
 *
 * Terminal events arrive in time order, so waiting for the newest one of a batch to be old enough
 * holds back the reader, never a job: the reader simply runs `archiveAfterMs` behind the stream head.
 */
import type { JobEvent } from '../../domain/job/events.ts';
import { isTerminal } from '../../domain/job/events.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { CursorStore, Lease, LeaseStore, Subscription } from '../ports.ts';
import { historyKey } from './archive-segment.ts';
import type { ArchivedHistory, JobArchive } from './job-archive.ts';
import { executeJob } from './job-repository.ts';
import type { JobRuntime } from './runtime.ts';

export const ARCHIVER_CURSOR = 'archiver.job';
export const ARCHIVER_CRASH_POINT = 'archiver.after_write_before_event';

export interface ArchiverOptions {
  readonly owner: string;
  /** A job is archived once it has been terminal this long (0: as soon as the archiver sees it). */
  readonly archiveAfterMs: number;
  readonly leaseTtlMs?: number;
  readonly maxBatch?: number;
}

export interface ArchiverStats {
  archived: number;
  /** Jobs found already archived on a replayed batch (after a crash or a lost lease). */
  alreadyArchived: number;
  batches: number;
  failures: number;
}

/** The job event that made the job terminal (the only one: a terminal job takes `JobArchived` alone). */
function isTerminalTransition(event: StoredEvent): boolean {
  if (event.type === 'JobArchived') return false;
  const data = event.data as Partial<JobEvent['data']> | undefined;
  return data?.status_after !== undefined && isTerminal(data.status_after);
}

export class Archiver {
  readonly stats: ArchiverStats = { archived: 0, alreadyArchived: 0, batches: 0, failures: 0 };
  readonly #rt: JobRuntime;
  readonly #archive: JobArchive;
  readonly #leases: LeaseStore;
  readonly #cursors: CursorStore;
  readonly #options: ArchiverOptions;
  readonly #ttl: number;
  #lease: Lease | null = null;
  #subscription: Subscription | null = null;
  /** Aborted when the reader must stop (lease lost, stop): cuts a wait for jobs to age short. */
  #reading: AbortController | null = null;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(rt: JobRuntime, archive: JobArchive, leases: LeaseStore, cursors: CursorStore, options: ArchiverOptions) {
    this.#rt = rt;
    this.#archive = archive;
    this.#leases = leases;
    this.#cursors = cursors;
    this.#options = options;
    this.#ttl = options.leaseTtlMs ?? 6_000;
  }

  get active(): boolean {
    return this.#lease !== null;
  }

  start(): void {
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#tick;
    await this.#stopReader();
    if (this.#lease !== null) await this.#leases.release(this.#lease).catch(() => false);
    this.#lease = null;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#step().finally(() => this.#schedule(Math.max(50, Math.floor(this.#ttl / 3))));
    }, delay);
  }

  async #step(): Promise<void> {
    try {
      if (this.#lease === null) {
        this.#lease = await this.#leases.acquire('archiver', this.#options.owner, this.#ttl);
        if (this.#lease === null) return;
        this.#rt.log.info({ owner: this.#options.owner }, 'archiver lease taken');
      } else {
        this.#lease = await this.#leases.renew(this.#lease, this.#ttl);
        if (this.#lease === null) {
          this.#rt.log.warn({}, 'archiver lease lost; stopping');
          await this.#stopReader();
          return;
        }
      }
      if (this.#subscription === null) await this.#startReader();
    } catch (error) {
      this.stats.failures++;
      this.#rt.log.error({ err: error }, 'archiver step failed');
    }
  }

  async #startReader(): Promise<void> {
    const from = (await this.#cursors.load(ARCHIVER_CURSOR)) + 1;
    const reading = new AbortController();
    this.#reading = reading;
    this.#subscription = this.#rt.events.subscribe(
      'job',
      {
        from,
        maxBatch: this.#options.maxBatch ?? 256,
        onError: (err, attempt) => {
          if (reading.signal.aborted) return;
          this.stats.failures++;
          this.#rt.log.warn({ err, attempt }, 'archiver batch failed; retrying');
        },
      },
      (batch) => this.#handle(batch, reading.signal),
    );
  }

  async #stopReader(): Promise<void> {
    this.#reading?.abort();
    this.#reading = null;
    const subscription = this.#subscription;
    this.#subscription = null;
    await subscription?.stop();
  }

  async #handle(batch: readonly StoredEvent[], signal: AbortSignal): Promise<void> {
    const finished = batch.filter(isTerminalTransition);
    const newest = finished.at(-1);
    if (newest !== undefined) {
      await this.#waitUntil(Date.parse(newest.time) + this.#options.archiveAfterMs, signal);
      await this.#archiveAll(finished, signal);
    }
    const last = batch.at(-1);
    if (last === undefined || signal.aborted) throw new Error('archiver stopped before the batch was saved');
    await this.#cursors.save(ARCHIVER_CURSOR, last.position);
    this.stats.batches++;
  }

  async #archiveAll(finished: readonly StoredEvent[], signal: AbortSignal): Promise<void> {
    const histories: ArchivedHistory[] = [];
    for (const event of finished) {
      const keys = (event.data as JobEvent['data']).keys;
      const history = await this.#historyOf(event.tenant, keys.job_id);
      if (history === null) this.stats.alreadyArchived++;
      else histories.push(history);
    }
    if (histories.length === 0) return;
    // Segments are rewritten whole with no compare-and-set: write only with the lease well in hand, so
    // a process that paused past its lease does not overwrite what the new holder wrote.
    const lease = this.#lease;
    if (signal.aborted || lease === null || lease.expiresAt - this.#rt.clock.now() < this.#ttl / 3) {
      throw new Error('archiver lease not held firmly enough to write; the batch will be retried');
    }
    const refs = await this.#archive.write(histories);
    this.#rt.crash.hit(ARCHIVER_CRASH_POINT);
    const results = await Promise.all(
      histories.map((history) =>
        executeJob(
          this.#rt.jobs,
          streamId('job', history.tenant, history.jobId),
          () => ({
            type: 'ArchiveJob',
            archive_ref: refs.get(historyKey(history.tenant, history.jobId)) as string,
            now: this.#rt.clock.now(),
          }),
          { actor: 'archiver' },
        ),
      ),
    );
    for (const result of results) {
      if (result instanceof Error) throw result;
      if (result.appended === null) this.stats.alreadyArchived++;
      else this.stats.archived++;
    }
  }

  /**
   * The job's whole history still in the stream, without `JobArchived`; null when it is archived
   * already. Read from the first event the stream still has, not from the latest snapshot.
   */
  async #historyOf(tenant: string, jobId: string): Promise<ArchivedHistory | null> {
    const stream = streamId('job', tenant, jobId);
    const loaded = await this.#rt.events.read(stream);
    if (loaded.events.at(-1)?.type === 'JobArchived') return null;
    const first = loaded.events[0];
    const whole =
      first !== undefined && first.first_position === 0 && first.type !== 'JobSnapshot'
        ? loaded.events
        : (await this.#rt.events.read(stream, { from: 1 })).events;
    if (whole.at(-1)?.type === 'JobArchived') return null;
    return { tenant, jobId, events: whole };
  }

  #waitUntil(at: number, signal: AbortSignal): Promise<void> {
    const wait = at - this.#rt.clock.now();
    if (wait <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Error('archiver stopped while waiting for jobs to age'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
