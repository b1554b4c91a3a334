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
import type { PositionTracker } from '../position-tracker.ts';
import { SavedCursors } from '../saved-cursors.ts';
import { chunkOutcomes, outcomesByRun, reactToRunEvent, recordOutcomes, type RunOutcomes } from './reactions.ts';
import type { WorkflowRuntime } from './runtime.ts';

const MAX_IN_FLIGHT = 4096;

export class WorkflowPartition {
  readonly partition: number;
  readonly #wrt: WorkflowRuntime;
  readonly #cursors: SavedCursors<'runs' | 'jobs'>;
  #subscriptions: Subscription[] = [];
  #stopped = false;

  constructor(wrt: WorkflowRuntime, cursors: CursorStore, partition: number) {
    this.#wrt = wrt;
    this.partition = partition;
    this.#cursors = new SavedCursors(
      cursors,
      { runs: `workflows.runs.p${partition}`, jobs: `workflows.jobs.p${partition}` },
      (error) => this.#onError('cursor save')(error, 1),
    );
  }

  async start(): Promise<void> {
    const p = this.partition;
    // Taking the partition (over): what this process remembers of its runs and step jobs may predate
    // another owner.
    this.#wrt.runs.forgetPartition(p, this.#wrt.rt.options.partitions);
    this.#wrt.rt.jobs.forgetPartition(p, this.#wrt.rt.options.partitions);
    const from = await this.#cursors.start();
    this.#subscriptions.push(
      this.#wrt.rt.events.subscribe(
        'run',
        { partition: p, from: from.runs, maxBatch: 256, onError: this.#onError('run events') },
        (batch) => this.#onRunEvents(batch),
      ),
      this.#wrt.rt.events.subscribe(
        'job',
        { partition: p, kind: 'w', from: from.jobs, maxBatch: 512, onError: this.#onError('step-job events') },
        (batch) => this.#onStepJobEvents(batch),
      ),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#subscriptions.map((s) => s.stop()));
    await this.#cursors.stop();
  }

  /** Positions still being worked on (for tests and status). */
  get inFlight(): number {
    return this.#cursors.inFlight;
  }

  async #onRunEvents(batch: readonly StoredEvent[]): Promise<void> {
    for (const event of batch) {
      this.#wrt.runs.observe(event);
      this.#cursors.tracker('runs').begin(event.position);
      void this.#reactToRun(event).finally(() => this.#cursors.tracker('runs').end(event.position));
      await this.#backPressure(this.#cursors.tracker('runs'));
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
    for (const event of batch) this.#cursors.tracker('jobs').begin(event.position);
    const groups = outcomesByRun(batch);
    const grouped = new Set<number>();
    for (const group of groups.values()) {
      for (const event of group.events) grouped.add(event.position);
      void this.#record(group).finally(() => {
        for (const event of group.events) this.#cursors.tracker('jobs').end(event.position);
      });
    }
    // Events that end no step job need nothing.
    for (const event of batch) if (!grouped.has(event.position)) this.#cursors.tracker('jobs').end(event.position);
    await this.#backPressure(this.#cursors.tracker('jobs'));
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

  #onError(what: string): (error: unknown, attempt?: number) => void {
    return (error, attempt = 1) =>
      this.#wrt.rt.log.error({ partition: this.partition, what, attempt, err: error }, `workflows ${what} failed`);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
