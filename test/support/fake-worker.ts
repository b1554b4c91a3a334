/**
 * A worker played by a test over the bus, speaking the protocol directly: heartbeats into the workers
 * bucket, accepts hand-offs on its direct subject (and optionally a pool queue), and reports through
 * the capture stream whatever `behave` decides. Records every hand-off and stop it receives, and the
 * most jobs it ran at once.
 */
import type { Bus, KvBucket } from '../../src/app/ports.ts';
import type { DispatchMessage, HandOffReply, ReportMessage, StopMessage } from '../../src/domain/protocol/messages.ts';

export type Behaviour = (
  job: DispatchMessage,
  worker: FakeWorker,
) => Promise<Partial<ReportMessage> | null> | Partial<ReportMessage> | null;

export interface FakeWorkerOptions {
  readonly id: string;
  /** The subject prefix of the installation (default `ctx`). */
  readonly prefix?: string;
  readonly pool?: string;
  readonly topics?: string[];
  readonly maxParallel?: number;
  readonly capabilities?: string[];
  readonly heartbeat?: boolean;
  readonly queueTopics?: string[];
  readonly refuse?: boolean;
  readonly behave?: Behaviour;
}

export class FakeWorker {
  readonly received: DispatchMessage[] = [];
  readonly stops: StopMessage[] = [];
  active = 0;
  /** The most jobs this worker ran at once. */
  maxActive = 0;
  readonly #bus: Bus;
  readonly #workers: KvBucket<unknown>;
  readonly #options: FakeWorkerOptions;
  readonly #subs: { unsubscribe(): void }[] = [];

  constructor(bus: Bus, workers: KvBucket<unknown>, options: FakeWorkerOptions) {
    this.#bus = bus;
    this.#workers = workers;
    this.#options = options;
  }

  get id(): string {
    return this.#options.id;
  }

  async start(): Promise<this> {
    const prefix = this.#options.prefix ?? 'ctx';
    const pool = this.#options.pool ?? 'default';
    const onJob = (message: { data: unknown; respond(data: unknown): void }) => {
      const job = message.data as DispatchMessage;
      this.received.push(job);
      if (this.#options.refuse) {
        message.respond({ accepted: false, worker_id: this.id, reason: 'busy' } satisfies HandOffReply);
        return;
      }
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      message.respond({ accepted: true, worker_id: this.id, started_at: Date.now() } satisfies HandOffReply);
      void this.#run(job);
    };
    this.#subs.push(this.#bus.subscribe(`${prefix}.worker.${this.id}.jobs`, onJob));
    for (const topic of this.#options.queueTopics ?? []) {
      this.#subs.push(this.#bus.subscribe(`${prefix}.q.${pool}.${topic}`, onJob, { queue: pool }));
    }
    this.#subs.push(
      this.#bus.subscribe(`${prefix}.worker.${this.id}.cancel`, (m) => this.stops.push(m.data as StopMessage)),
    );
    if (this.#options.heartbeat !== false) await this.beat();
    return this;
  }

  async beat(active = this.active): Promise<void> {
    await this.#workers.put(this.id, {
      worker_id: this.id,
      instance: `${this.id}-1`,
      pool: this.#options.pool ?? 'default',
      topics: this.#options.topics ?? [],
      active_jobs: active,
      max_parallel_jobs: this.#options.maxParallel ?? 10,
      capabilities: this.#options.capabilities ?? [],
      labels: {},
      cpu_load: 0,
      region: null,
      version: 'test',
      started_at: Date.now(),
      sent_at: Date.now(),
    });
  }

  async report(job: DispatchMessage, report: Partial<ReportMessage>): Promise<void> {
    const message: ReportMessage = {
      type: 'result',
      job_id: job.job_id,
      tenant: job.tenant,
      attempt: job.attempt,
      token: job.token,
      worker_id: this.id,
      sent_at: Date.now(),
      ...report,
    };
    await this.#bus.capture(
      job.result_subject,
      message,
      `${job.job_id}:${job.attempt}:${message.type}:${message.worker_id}`,
    );
  }

  stop(): void {
    for (const sub of this.#subs) sub.unsubscribe();
  }

  async #run(job: DispatchMessage): Promise<void> {
    const behave = this.#options.behave ?? (() => ({ status: 'SUCCEEDED', result: { echo: job.payload } }));
    const report = await behave(job, this);
    this.active--;
    if (report !== null) await this.report(job, report);
    // As the real runtime does: a heartbeat at once when capacity frees up.
    if (this.#options.heartbeat !== false) await this.beat();
  }
}
