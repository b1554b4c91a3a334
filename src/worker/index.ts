/**
 * `coretex/worker`: the runtime users import to write workers (SPEC 7).
 *
 *   const worker = await createWorker({ servers: 'nats://localhost:4222', worker_id: 'w1', topics: ['job.default'] },
 *     async (job, { signal, progress }) => ({ echo: job.payload }));
 *   process.once('SIGTERM', () => void worker.drain({ graceMs: 30_000 }));
 *
 * May import only `src/domain` (the protocol's messages and schemas) and libraries.
 */
import { readFileSync } from 'node:fs';
import type { HeartbeatMessage } from '../domain/protocol/messages.ts';
import type { JobHandler } from './attempt-run.ts';
import { openExecutionLog } from './execution-log.ts';
import { NatsWorkerTransport } from './nats-transport.ts';
import { type WorkerOptions, resolveOptions } from './options.ts';
import { RuntimeWorker, type Worker } from './worker.ts';

export type { Job, JobContext, JobHandler } from './attempt-run.ts';
export type { ExecutionEvent, ExecutionLogEntry, ExecutionLogOption } from './execution-log.ts';
export { parseExecutionLog } from './execution-log.ts';
export { NatsWorkerTransport, type NatsTransportOptions } from './nats-transport.ts';
export type { WorkerOptions } from './options.ts';
export {
  AttemptAbortedError,
  JobError,
  outcome,
  type AbortCause,
  type JobOutcome,
  type ReportStatus,
} from './outcome.ts';
export { WorkerIdTakenError } from './registry-presence.ts';
export { reportId } from './reporter.ts';
export type {
  RegistryEntry,
  TransportMessage,
  TransportSubscription,
  WorkerRegistryBucket,
  WorkerTransport,
} from './transport.ts';
export type { Worker, WorkerState } from './worker.ts';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Starts a worker: connects (or uses `options.transport`), claims `worker_id` in the registry
 * (rejecting with `WorkerIdTakenError` when a live worker holds it), listens for hand-offs and stops,
 * and heartbeats. Resolves once it is taking work.
 */
export async function createWorker(options: WorkerOptions, handler: JobHandler): Promise<Worker> {
  const settings = resolveOptions(options, PACKAGE_VERSION);
  const transport =
    options.transport ??
    (await NatsWorkerTransport.connect({
      servers: options.servers ?? [],
      prefix: settings.prefix,
      name: `coretex-worker ${settings.workerId}`,
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.pass === undefined ? {} : { pass: options.pass }),
    }));
  try {
    const registry = await transport.registry<HeartbeatMessage>(settings.registryTtlMs);
    const log = openExecutionLog(options.executionLog, (error) => settings.onError(error, 'execution log'));
    const worker = new RuntimeWorker({ settings, transport, registry, handler, log });
    await worker.start();
    return worker;
  } catch (error) {
    // The worker owns its transport: one that fails to start leaves nothing open.
    await transport.close().catch(() => {});
    throw error;
  }
}
