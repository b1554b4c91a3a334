/**
 * The workflow process manager of one partition (ARCHITECTURE.md section 5), run by whichever process
 * holds the lease `workflows.p<N>`. Runs and their step jobs share a partition, so one process sees
 * both. Inputs, each from its own cursor in the cursor store:
 *   - the partition's run events: the outbox — the first pass of a started run, and every event's
 *     effects (step jobs created, stopped jobs pre-empted or cancelled);
 *   - the partition's step-job events (`kind: 'w'`): a step job's terminal event is its step's
 *     outcome; a fetch's outcomes are coalesced per run into one decision.
 * Reactions run concurrently; each cursor is saved at the low watermark of finished work, so a crash
 * replays what may not have happened, and every reaction is safe to repeat. An input that keeps
 * failing is retried with backoff and then parked (with an alert), never dropped. Timers (step and
 * run timeouts, delays, approval expiry) are the run reconciler's.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { CursorStore, Subscription } from '../ports.ts';
import { PositionTracker } from '../position-tracker.ts';
import { chunkOutcomes, outcomesByRun, reactToRunEvent, recordOutcomes, type RunOutcomes } from './reactions.ts';
import type { WorkflowRuntime } from './runtime.ts';

const MAX_IN_FLIGHT = 4096;

export class WorkflowPartition {
  readonly partition: number;
  readonly #wrt: WorkflowRuntime;
  readonly #cursors: CursorStore;
  #runsTracker = new PositionTracker(0);
  #jobsTracker = new PositionTracker(0);
  #subscriptions: Subscription[] = [];
  #saver: NodeJS.Timeout | null = null;
  #saved = { runs: -1, jobs: -1 };
  #stopped = false;

  constructor(wrt: WorkflowRuntime, cursors: CursorStore, partition: number) {
    this.#wrt = wrt;
    this.#cursors = cursors;
    this.partition = partition;
  }

  async start(): Promise<void> {
    const p = this.partition;
    const runsFrom = await this.#cursors.load(this.#cursorName('runs'));
    const jobsFrom = await this.#cursors.load(this.#cursorName('jobs'));
    this.#runsTracker = new PositionTracker(runsFrom);
    this.#jobsTracker = new PositionTracker(jobsFrom);
    this.#subscriptions.push(
      this.#wrt.rt.events.subscribe(
        'run',
        { partition: p, from: runsFrom + 1, maxBatch: 256, onError: this.#onError('run events') },
        (batch) => this.#onRunEvents(batch),
      ),
      this.#wrt.rt.events.subscribe(
        'job',
        { partition: p, kind: 'w', from: jobsFrom + 1, maxBatch: 512, onError: this.#onError('step-job events') },
        (batch) => this.#onStepJobEvents(batch),
      ),
    );
    this.#saver = setInterval(() => void this.#saveCursors(), 200);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#saver !== null) clearInterval(this.#saver);
    await Promise.all(this.#subscriptions.map((s) => s.stop()));
    await this.#saveCursors();
  }

  /** Positions still being worked on (for tests and status). */
  get inFlight(): number {
    return this.#runsTracker.inFlight + this.#jobsTracker.inFlight;
  }

  async #onRunEvents(batch: readonly StoredEvent[]): Promise<void> {
    for (const event of batch) {
      this.#wrt.runs.observe(event);
      this.#runsTracker.begin(event.position);
      void this.#reactToRun(event).finally(() => this.#runsTracker.end(event.position));
      await this.#backPressure(this.#runsTracker);
    }
  }

  async #reactToRun(event: StoredEvent): Promise<void> {
    try {
      await this.#wrt.rt.parking.attempt('run-event', event.position, event.stream_id, event, () =>
        reactToRunEvent(this.#wrt, event),
      );
    } catch (error) {
      this.#onError('run event')(error, 1);
    }
  }

  async #onStepJobEvents(batch: readonly StoredEvent[]): Promise<void> {
    for (const event of batch) this.#jobsTracker.begin(event.position);
    const groups = outcomesByRun(batch);
    const grouped = new Set<number>();
    for (const group of groups.values()) {
      for (const event of group.events) grouped.add(event.position);
      void this.#record(group).finally(() => {
        for (const event of group.events) this.#jobsTracker.end(event.position);
      });
    }
    // Events that end no step job need nothing.
    for (const event of batch) if (!grouped.has(event.position)) this.#jobsTracker.end(event.position);
    await this.#backPressure(this.#jobsTracker);
  }

  /** One run's outcomes from one fetch: one decision (more only when they would not fit in one event). */
  async #record(group: RunOutcomes): Promise<void> {
    for (const chunk of chunkOutcomes(group, this.#wrt.options)) {
      const first = chunk.events[0] as StoredEvent;
      try {
        await this.#wrt.rt.parking.attempt('step-job-outcomes', first.position, first.stream_id, chunk.events, () =>
          recordOutcomes(this.#wrt, chunk),
        );
      } catch (error) {
        this.#onError('step-job outcomes')(error, 1);
      }
    }
  }

  async #backPressure(tracker: PositionTracker): Promise<void> {
    while (tracker.inFlight > MAX_IN_FLIGHT && !this.#stopped) await delay(5);
  }

  async #saveCursors(): Promise<void> {
    const runs = this.#runsTracker.watermark;
    const jobs = this.#jobsTracker.watermark;
    try {
      if (runs !== this.#saved.runs) {
        await this.#cursors.save(this.#cursorName('runs'), runs);
        this.#saved.runs = runs;
      }
      if (jobs !== this.#saved.jobs) {
        await this.#cursors.save(this.#cursorName('jobs'), jobs);
        this.#saved.jobs = jobs;
      }
    } catch (error) {
      this.#onError('cursor save')(error, 1);
    }
  }

  #cursorName(kind: 'runs' | 'jobs'): string {
    return `workflows.${kind}.p${this.partition}`;
  }

  #onError(what: string): (error: unknown, attempt?: number) => void {
    return (error, attempt = 1) =>
      this.#wrt.rt.log.error({ partition: this.partition, what, attempt, err: error }, `workflows ${what} failed`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
