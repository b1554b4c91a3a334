/**
 * Job events as they are stored (a core NATS subscription on `<prefix>.job.>` or one kind of it),
 * counted per job: its first ending counts (a core subscriber also sees a publish that JetStream
 * deduplicated), and a succeeded job's latencies come from the events' own times.
 */
import { eventHead, JOB_ENDINGS } from './event-head.ts';

export interface JobSample {
  /** Epoch ms of its JobSucceeded. */
  readonly at: number;
  /** JobSubmitted → first JobDispatched. */
  readonly dispatch_ms: number;
  /** JobSubmitted → JobSucceeded. */
  readonly total_ms: number;
}

export class JobEvents {
  succeeded = 0;
  failed = 0;
  received = 0;
  /** Submit-to-success ms of the jobs that succeeded since the last reset. */
  latencies: number[] = [];
  /** The same jobs with their dispatch latency and end time, to pick a window from. */
  samples: JobSample[] = [];
  types: Record<string, number> = {};
  /** Told of each job's end (`ok`: it succeeded), e.g. to start another. */
  onEnded: ((ok: boolean) => void) | null = null;
  readonly #submittedAt = new Map<string, number>();
  readonly #dispatchedAt = new Map<string, number>();
  readonly #ended = new Set<string>();

  onMessage(data: Uint8Array): void {
    this.received++;
    const { type, streamId: stream, time } = eventHead(data);
    this.types[type] = (this.types[type] ?? 0) + 1;
    if (type === 'JobSubmitted') {
      this.#submittedAt.set(stream, time);
      return;
    }
    if (type === 'JobDispatched') {
      if (!this.#dispatchedAt.has(stream)) this.#dispatchedAt.set(stream, time);
      return;
    }
    const succeeded = type === 'JobSucceeded';
    if (!succeeded && !JOB_ENDINGS.includes(type)) return;
    if (this.#ended.has(stream)) return;
    this.#ended.add(stream);
    const submitted = this.#submittedAt.get(stream);
    const dispatched = this.#dispatchedAt.get(stream);
    this.#submittedAt.delete(stream);
    this.#dispatchedAt.delete(stream);
    if (succeeded) {
      this.succeeded++;
      if (submitted !== undefined) {
        this.latencies.push(time - submitted);
        this.samples.push({
          at: time,
          dispatch_ms: (dispatched ?? Number.NaN) - submitted,
          total_ms: time - submitted,
        });
      }
    } else {
      this.failed++;
    }
    this.onEnded?.(succeeded);
  }

  /** Jobs whose submission was seen and whose ending was not (yet). */
  get inFlight(): number {
    return this.#submittedAt.size;
  }

  /** Up to `n` jobs submitted but not (yet) ended: their stream ids (`job:<tenant>:<id>`). */
  outstanding(n: number): string[] {
    return [...this.#submittedAt.keys()].slice(0, n);
  }

  /** Starts a new window: latencies, samples and type counts from here on. */
  reset(): void {
    this.latencies = [];
    this.samples = [];
    this.types = {};
  }
}
