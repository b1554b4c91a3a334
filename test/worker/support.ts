/**
 * Playing the control plane against a worker: the bus (hand-off requests, stops, progress, the
 * capture of reports), the registry bucket and the large-result store, on NATS or in process, so
 * every worker behaviour is checked on both transports.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { InProcessBus } from '../../src/adapters/embedded/bus.ts';
import { EmbeddedKvStore } from '../../src/adapters/embedded/kv-store.ts';
import { EmbeddedWorkerTransport } from '../../src/adapters/embedded/worker-transport.ts';
import { NatsBus } from '../../src/adapters/jetstream/bus.ts';
import { JetStreamKvStore } from '../../src/adapters/jetstream/kv-store.ts';
import type { Bus, KvStore, Subscription } from '../../src/app/ports.ts';
import type { DispatchMessage, HeartbeatMessage, ReportMessage } from '../../src/domain/protocol/messages.ts';
import { NatsWorkerTransport } from '../../src/worker/nats-transport.ts';
import type { WorkerTransport } from '../../src/worker/transport.ts';
import { uniquePrefix } from '../harness/prefix.ts';
import { waitFor } from '../harness/wait-for.ts';

export interface ControlPlane {
  readonly name: string;
  readonly prefix: string;
  readonly bus: Bus;
  /** Every report captured on `<prefix>.sys.job.result.>` so far, in capture order. */
  readonly reports: ReportMessage[];
  /** A fresh transport for one worker (the worker closes it). */
  transport(): Promise<WorkerTransport>;
  registryEntry(workerId: string): Promise<{ value: HeartbeatMessage; revision: number } | null>;
  readLargeResult(pointer: string): Promise<string>;
  dispose(): Promise<void>;
}

function collectReports(bus: Bus, prefix: string, reports: ReportMessage[]): Subscription {
  return bus.readCaptured(`${prefix}.sys.job.result.>`, { from: 1 }, async (batch) => {
    for (const message of batch) reports.push(message.data as ReportMessage);
  });
}

async function registryOf(kv: KvStore, workerId: string) {
  const entry = await (await kv.bucket<HeartbeatMessage>('workers', { maxAgeMs: 30_000 })).get(workerId);
  return entry === null ? null : { value: entry.value, revision: entry.revision };
}

export async function natsControlPlane(
  url: string,
  auth: { readonly user: string; readonly pass: string } | null = null,
): Promise<ControlPlane> {
  const prefix = uniquePrefix('w');
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100, ...auth });
  const bus = await NatsBus.open(nc, { prefix, replicas: 1, captureMaxAgeMs: 600_000 });
  const kv = new JetStreamKvStore(nc, { prefix, replicas: 1 });
  const reports: ReportMessage[] = [];
  const capture = collectReports(bus, prefix, reports);
  return {
    name: 'nats',
    prefix,
    bus,
    reports,
    transport: () => NatsWorkerTransport.connect({ servers: url, prefix }),
    registryEntry: (workerId) => registryOf(kv, workerId),
    async readLargeResult(pointer) {
      const match = /^obj:([^/]+)\/(.+)$/.exec(pointer);
      if (match === null) throw new Error(`not an object-store pointer: ${pointer}`);
      const store = await new Objm(nc).open(match[1]!);
      const bytes = await store.getBlob(match[2]!);
      if (bytes === null) throw new Error(`no object ${pointer}`);
      return new TextDecoder().decode(bytes);
    },
    async dispose() {
      await capture.stop();
      await bus.close();
      await dropPrefix(nc, prefix);
      await nc.close();
    },
  };
}

export async function embeddedControlPlane(prefix = uniquePrefix('w')): Promise<ControlPlane> {
  const bus = new InProcessBus();
  const kv = new EmbeddedKvStore({ dataDir: null });
  const reports: ReportMessage[] = [];
  const capture = collectReports(bus, prefix, reports);
  return {
    name: 'embedded',
    prefix,
    bus,
    reports,
    transport: async () => new EmbeddedWorkerTransport({ bus, kv }),
    registryEntry: (workerId) => registryOf(kv, workerId),
    async readLargeResult(pointer) {
      const match = /^kv:([^/]+)\/(.+)$/.exec(pointer);
      if (match === null) throw new Error(`not a KV pointer: ${pointer}`);
      const entry = await (await kv.bucket<string>(match[1]!)).get(match[2]!);
      if (entry === null) throw new Error(`no entry ${pointer}`);
      return entry.value;
    },
    async dispose() {
      await capture.stop();
      await bus.close();
      await kv.close();
    },
  };
}

export async function dropPrefix(nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for await (const info of jsm.streams.list()) {
    const name = info.config.name;
    if ([`${prefix.toUpperCase()}_`, `KV_${prefix}_`, `OBJ_${prefix}_`].some((start) => name.startsWith(start))) {
      await jsm.streams.delete(name);
    }
  }
}

let counter = 0;

/** A valid hand-off for `prefix`, partition 0; override any field. */
export function dispatchMessage(prefix: string, overrides: Partial<DispatchMessage> = {}): DispatchMessage {
  counter += 1;
  return {
    job_id: `job-${counter}`,
    tenant: 'acme',
    attempt: 1,
    token: `tok-${counter}`,
    topic: 'job.default',
    payload: { n: counter },
    priority: 'batch',
    labels: {},
    trace_id: `trace-${counter}`,
    partition: 0,
    result_subject: `${prefix}.sys.job.result.0`,
    progress_subject: `${prefix}.sys.job.progress.0`,
    dispatch_deadline: Date.now() + 60_000,
    running_ms: 60_000,
    deadline_at: null,
    env: { tenant_id: 'acme' },
    ...overrides,
  };
}

export function reportsFor(cp: ControlPlane, job: DispatchMessage, type?: ReportMessage['type']): ReportMessage[] {
  return cp.reports.filter(
    (r) => r.job_id === job.job_id && r.attempt === job.attempt && (type === undefined || r.type === type),
  );
}

export function waitForResult(cp: ControlPlane, job: DispatchMessage, timeoutMs = 10_000): Promise<ReportMessage> {
  return waitFor(`the result of ${job.job_id}#${job.attempt}`, () => reportsFor(cp, job, 'result')[0], { timeoutMs });
}

/** A promise a test opens by hand: a handler waits on it. */
export class Gate {
  readonly #opened: PromiseWithResolvers<void> = Promise.withResolvers<void>();
  readonly wait = (): Promise<void> => this.#opened.promise;
  open(): void {
    this.#opened.resolve();
  }
}

/** Resolves when the signal aborts (a handler that obeys stops). */
export function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(signal.reason);
    else signal.addEventListener('abort', () => resolve(signal.reason), { once: true });
  });
}
