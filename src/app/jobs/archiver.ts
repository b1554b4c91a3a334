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
 *
 * Each flush writes new parts named after the position it starts at (the saved cursor + 1). Before
 * writing, it records how far it reaches (`archiver.job.flush`); a reader started after a crash or a
 * lost lease gathers at least that far before its first flush, so the replay's parts, same names,
 * cover everything the crashed flush's did and a job is never filed under two flushes.
 *
 * Between batches, under the same lease, it compacts the archive's finished days and deletes the days
 * past the archive retention (job-archive.ts), a bounded slice per step so the lease keeps renewing.
 */
import { decideArchiveOnLastEvent } from '../../domain/job/decide-lifecycle.ts';
import type { JobEvent, Transition } from '../../domain/job/events.ts';
import { isTerminal } from '../../domain/job/events.ts';
import { loadStartOf, type StoredEvent } from '../../domain/shared/events.ts';
import { ConcurrencyError, NotFoundError } from '../../domain/shared/errors.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { CursorStore, Lease, LeaseStore, Subscription } from '../ports.ts';
import { historyKey } from './archive-segment.ts';
import type { ArchivedHistory, JobArchive } from './job-archive.ts';
import { executeJob } from './job-repository.ts';
import type { JobRuntime } from './runtime.ts';

export const ARCHIVER_CURSOR = 'archiver.job';
export const ARCHIVER_CRASH_POINT = 'archiver.after_write_before_event';
/** The stream position the latest flush started to write up to (its replay gathers at least that far). */
export const ARCHIVER_FLUSH_MARK = 'archiver.job.flush';
/** Histories read at once: each is one or two direct gets, so a batch is not a chain of round trips. */
const HISTORY_READS = 32;
/**
 * `JobArchived` appends in flight at once. A flush archives every job that finished in its interval
 * (11,000 at 300 jobs/s with a 37 s flush), and appending them all at once stalled the process's
 * other work and nats-server for seconds at every flush (bench/soak with a short hot window).
 */
const ARCHIVED_EVENTS_IN_FLIGHT = 32;
/** Histories gathered before a write whatever the flush interval (bounds the archiver's memory). */
const MAX_PENDING = 20_000;

export interface ArchiverOptions {
  readonly owner: string;
  /** A job is archived once it has been terminal this long (0: as soon as the archiver sees it). */
  readonly archiveAfterMs: number;
  /**
   * How long finished histories are gathered before they are written (0: every batch). Each write
   * rewrites the segment parts it touches, so gathering bounds that cost by time, not by the rate.
   */
  readonly flushEveryMs?: number;
  readonly leaseTtlMs?: number;
  readonly maxBatch?: number;
  /** How often compaction and retention run (default 5 min). */
  readonly maintainEveryMs?: number;
  /** A day's flush parts are compacted this long after the day ended (default 1 h). */
  readonly compactMarginMs?: number;
  /** Days of the archive older than this are deleted (0, the default: kept forever). */
  readonly retentionMs?: number;
}

export interface ArchiverStats {
  archived: number;
  /** Jobs found already archived on a replayed batch (after a crash or a lost lease). */
  alreadyArchived: number;
  batches: number;
  failures: number;
  /**
   * Jobs whose first events had already left the stream when the archiver came to them (it was down
   * or behind for longer than the hot window): what was left is archived, and `JobArchived` decided on
   * the last event (the job no longer loads). Logged; should stay 0.
   */
  tooLate: number;
  /** Flush parts merged into compacted parts (and deleted). */
  compactedParts: number;
  /** Objects deleted by the archive retention. */
  expiredParts: number;
}

/** The job event that made the job terminal (the only one: a terminal job takes `JobArchived` alone). */
function isTerminalTransition(event: StoredEvent): boolean {
  if (event.type === 'JobArchived') return false;
  const data = event.data as Partial<JobEvent['data']> | undefined;
  return data?.status_after !== undefined && isTerminal(data.status_after);
}

/** An archiver's counts before it has done anything. */
export function emptyArchiverStats(): ArchiverStats {
  return { archived: 0, alreadyArchived: 0, batches: 0, failures: 0, tooLate: 0, compactedParts: 0, expiredParts: 0 };
}

/** What the archiver's metrics read: the archiver itself, or its last report from a projector thread. */
export interface ArchiverProgress {
  readonly active: boolean;
  readonly savedPosition: number;
  readonly stats: Readonly<ArchiverStats>;
}

export class Archiver implements ArchiverProgress {
  readonly stats: ArchiverStats = emptyArchiverStats();
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
  /** Histories read but not written yet (by key), and the stream position they cover up to. */
  readonly #pending = new Map<string, ArchivedHistory>();
  #pendingSince: number | null = null;
  #pendingUpTo = 0;
  #savedUpTo = 0;
  /** A crashed flush reached this far: the replay's first flush must too (see the top comment). */
  #replayUntil = 0;
  #nextMaintenance = 0;
  /** The reader's batches and the idle flush take turns. */
  #turn: Promise<void> = Promise.resolve();
  /** Turns queued or running. */
  #turnsRunning = 0;

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

  /**
   * The stream position this archiver's cursor is saved at. A finished job must be passed before its
   * first events age out of the hot window, or it is archived without them (`stats.tooLate`).
   */
  get savedPosition(): number {
    return this.#savedUpTo;
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
      // The step must not queue behind a batch (it may be waiting for jobs to age): it renews the lease.
      if (this.#subscription === null) await this.#startReader();
      else if (this.#turnsRunning > 0) return;
      else if (this.#pendingSince !== null && this.#reading !== null) {
        // No batch came to flush what is gathered (the stream went quiet): flush it from here.
        const signal = this.#reading.signal;
        await this.#inTurn(() => this.#flushIfDue(signal));
      }
      if (this.#reading !== null && this.#rt.clock.now() >= this.#nextMaintenance) {
        const signal = this.#reading.signal;
        await this.#inTurn(() => this.#maintain(signal));
      }
    } catch (error) {
      this.stats.failures++;
      this.#rt.log.error({ err: error }, 'archiver step failed');
    }
  }

  async #startReader(): Promise<void> {
    const saved = await this.#cursors.load(ARCHIVER_CURSOR);
    const mark = await this.#cursors.load(ARCHIVER_FLUSH_MARK);
    const from = saved + 1;
    this.#replayUntil = mark > saved ? mark : 0;
    // Another archiver may have written since this one last held the lease.
    this.#archive.forgetParts();
    // What a previous reader gathered and did not write is read again from the saved cursor.
    this.#pending.clear();
    this.#pendingSince = null;
    this.#pendingUpTo = saved;
    this.#savedUpTo = saved;
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
      (batch) => this.#inTurn(() => this.#handle(batch, reading.signal)),
    );
  }

  async #stopReader(): Promise<void> {
    this.#reading?.abort();
    this.#reading = null;
    const subscription = this.#subscription;
    this.#subscription = null;
    await subscription?.stop();
  }

  #inTurn(work: () => Promise<void>): Promise<void> {
    this.#turnsRunning++;
    const run = this.#turn.then(work).finally(() => this.#turnsRunning--);
    this.#turn = run.catch(() => {});
    return run;
  }

  async #handle(batch: readonly StoredEvent[], signal: AbortSignal): Promise<void> {
    const finished = batch.filter(isTerminalTransition);
    const newest = finished.at(-1);
    if (newest !== undefined) {
      await this.#waitUntil(Date.parse(newest.time) + this.#options.archiveAfterMs, signal);
      const found = await inParallel(finished, HISTORY_READS, (event) =>
        this.#historyOf(event.tenant, (event.data as JobEvent['data']).keys.job_id),
      );
      for (const history of found) {
        if (history === null) this.stats.alreadyArchived++;
        else this.#pending.set(historyKey(history.tenant, history.jobId), history);
      }
    }
    const last = batch.at(-1);
    if (last === undefined || signal.aborted) throw new Error('archiver stopped before the batch was saved');
    this.#pendingUpTo = last.position;
    if (this.#pending.size > 0 && this.#pendingSince === null) this.#pendingSince = this.#rt.clock.now();
    this.stats.batches++;
    await this.#flushIfDue(signal);
    // Under a steady load the reader is rarely idle: maintenance also runs between batches. Its
    // failure is not the batch's (saved already): logged, and tried again at the next pass.
    if (this.#rt.clock.now() >= this.#nextMaintenance) {
      await this.#maintain(signal).catch((error: unknown) => {
        this.stats.failures++;
        this.#nextMaintenance = this.#rt.clock.now() + this.#ttl;
        this.#rt.log.error({ err: error }, 'archive compaction or retention failed');
      });
    }
  }

  /**
   * Writes the pending histories once the oldest has waited `flushEveryMs` (or there are many), so a
   * segment part is rewritten once per flush, not once per batch; the cursor moves only after.
   */
  async #flushIfDue(signal: AbortSignal): Promise<void> {
    const since = this.#pendingSince;
    const due =
      this.#pending.size >= MAX_PENDING ||
      since === null ||
      this.#rt.clock.now() - since >= (this.#options.flushEveryMs ?? 0);
    // A replay writes the crashed flush's parts again: it must reach as far, or a job the first try
    // filed there would be filed again by the next flush, under another name. Nor may the cursor move
    // before (a batch of the replay with no finished job in it): the next flush's parts are named after
    // the cursor, so they would not be the crashed flush's parts.
    if (!due || this.#pendingUpTo < this.#replayUntil) return;
    if (this.#pending.size > 0) await this.#archiveAll([...this.#pending.values()], signal);
    if (signal.aborted) throw new Error('archiver stopped before the batch was saved');
    this.#pending.clear();
    this.#pendingSince = null;
    if (this.#pendingUpTo > this.#savedUpTo) {
      await this.#cursors.save(ARCHIVER_CURSOR, this.#pendingUpTo);
      this.#savedUpTo = this.#pendingUpTo;
    }
  }

  async #archiveAll(histories: readonly ArchivedHistory[], signal: AbortSignal): Promise<void> {
    // Segments are rewritten whole with no compare-and-set: write only with the lease well in hand, so
    // a process that paused past its lease does not overwrite what the new holder wrote.
    const lease = this.#lease;
    if (signal.aborted || lease === null || lease.expiresAt - this.#rt.clock.now() < this.#ttl / 3) {
      throw new Error('archiver lease not held firmly enough to write; the batch will be retried');
    }
    if (this.#pendingUpTo > this.#replayUntil) {
      await this.#cursors.save(ARCHIVER_FLUSH_MARK, this.#pendingUpTo);
      this.#replayUntil = this.#pendingUpTo;
    }
    const refs = await this.#archive.write(histories, this.#savedUpTo + 1);
    this.#rt.crash.hit(ARCHIVER_CRASH_POINT);
    // A job whose history no longer reaches back to where it loads from (its first events aged out
    // before the archiver came to it) is archived as it is and takes JobArchived decided on its last
    // event, asking the stream nothing more: an archiver that fell behind the window must get cheaper
    // per job, not dearer, or it never catches up.
    const tooLate = histories.filter((history) => !loadable(history));
    const loadables = tooLate.length === 0 ? histories : histories.filter(loadable);
    const results = await inParallel(loadables, ARCHIVED_EVENTS_IN_FLIGHT, (history) => {
      const stream = streamId('job', history.tenant, history.jobId);
      // Finished long ago, the job has left the cache: the history in hand saves reading it again.
      this.#rt.jobs.prime(stream, history.events);
      return executeJob(
        this.#rt.jobs,
        stream,
        () => ({
          type: 'ArchiveJob',
          archive_ref: refs.get(historyKey(history.tenant, history.jobId)) as string,
          now: this.#rt.clock.now(),
        }),
        { actor: 'archiver' },
      );
    });
    results.forEach((result, i) => {
      // Never block the reader on a job that cannot be loaded any more: its history is archived.
      if (result instanceof NotFoundError) tooLate.push(loadables[i] as ArchivedHistory);
      else if (result instanceof Error) throw result;
      else if (result.appended === null) this.stats.alreadyArchived++;
      else this.stats.archived++;
    });
    if (tooLate.length > 0) await this.#archiveTooLate(tooLate, refs);
  }

  /** Jobs archived without their first events: JobArchived from the last event, one log line in all. */
  async #archiveTooLate(histories: readonly ArchivedHistory[], refs: ReadonlyMap<string, string>): Promise<void> {
    const results = await inParallel(histories, ARCHIVED_EVENTS_IN_FLIGHT, (history) =>
      this.#rt.jobs.executeOnLast(
        streamId('job', history.tenant, history.jobId),
        history.events.at(-1) as StoredEvent,
        (last) =>
          decideArchiveOnLastEvent(
            {
              type: 'ArchiveJob',
              archive_ref: refs.get(historyKey(history.tenant, history.jobId)) as string,
              now: this.#rt.clock.now(),
            },
            last as unknown as { type: string; data: Transition },
          ),
        { actor: 'archiver' },
      ),
    );
    // A conflict: something was appended after the event read (a replayed flush archived it already).
    const failed = results.find(
      (result): result is Error => result instanceof Error && !(result instanceof ConcurrencyError),
    );
    if (failed !== undefined) throw failed;
    this.stats.tooLate += histories.length;
    // One line per flush, not one per job: a flush behind the window holds thousands of them.
    this.#rt.log.warn(
      {
        jobs: histories.length,
        examples: histories.slice(0, 5).map((history) => ({ tenant: history.tenant, job_id: history.jobId })),
      },
      'archived jobs whose first events had already aged out, as far as the stream still had them',
    );
  }

  /**
   * One slice of compaction, then of retention: it stops when the lease is no longer firmly held or
   * after a third of the lease's time, and the next step goes on until a pass is done. Not while a
   * replay is pending: compaction would merge the crashed flush's parts before the replay rewrites them.
   */
  async #maintain(signal: AbortSignal): Promise<void> {
    if (this.#replayUntil > this.#savedUpTo) return;
    const started = this.#rt.clock.now();
    const keepGoing = () => {
      const lease = this.#lease;
      const now = this.#rt.clock.now();
      return (
        !signal.aborted && lease !== null && lease.expiresAt - now >= this.#ttl / 3 && now - started < this.#ttl / 3
      );
    };
    // A pass cut short goes on after a pause as long as it ran: at most half the archiver's time.
    const unfinished = () => {
      this.#nextMaintenance = this.#rt.clock.now() + (this.#rt.clock.now() - started);
    };
    const compacted = await this.#archive.compact(this.#options.compactMarginMs ?? 3_600_000, keepGoing);
    this.stats.compactedParts += compacted.merged;
    if (!compacted.done) return unfinished();
    const expired = await this.#archive.expire(this.#options.retentionMs ?? 0, keepGoing);
    this.stats.expiredParts += expired.expired;
    if (!expired.done) return unfinished();
    if (compacted.merged > 0 || expired.expired > 0) {
      this.#rt.log.info(
        { merged: compacted.merged, written: compacted.written, expired: expired.expired },
        'archive compacted and expired',
      );
    }
    this.#nextMaintenance = this.#rt.clock.now() + (this.#options.maintainEveryMs ?? 300_000);
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

/** The history reaches back to where the job loads from (its first event or latest snapshot). */
function loadable(history: ArchivedHistory): boolean {
  const last = history.events.at(-1);
  if (last === undefined) return false;
  const start = loadStartOf(last);
  return history.events.some((event) => event.position === start);
}

/** `task` over `items` with at most `limit` at a time; results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i] as T);
  });
  await Promise.all(workers);
  return results;
}
