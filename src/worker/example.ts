/**
 * The example echo worker (`coretex worker --example`, SPEC 7): returns `{echo: payload, worker_id}`,
 * with knobs to sleep, to fail (at random, the first n attempts of each job, or the first n executions
 * of a marked payload), to report another status and to echo env variables, for demos, end-to-end and
 * fault tests. It runs on NATS, or in process on a given transport.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorker } from './index.ts';
import type { JobHandler } from './attempt-run.ts';
import type { ExecutionLogOption } from './execution-log.ts';
import { JobError, outcome } from './outcome.ts';
import type { WorkerTransport } from './transport.ts';
import type { Worker } from './worker.ts';

export interface ExampleWorkerOptions {
  /** NATS URL(s); or give `transport`. */
  readonly natsUrl?: string;
  /** NATS credentials of this worker's user (SPEC 6: one user per worker). */
  readonly natsUser?: string;
  readonly natsPass?: string;
  readonly transport?: WorkerTransport;
  /** Fault injection for tests: answer hand-offs this late (beyond the scheduler's request timeout). */
  readonly acceptDelayMs?: number;
  readonly handOffDelayMs?: number;
  readonly prefix?: string;
  /** Default `example-<host>-<pid>`. */
  readonly workerId?: string;
  readonly pool?: string;
  readonly topics?: readonly string[];
  readonly maxParallel?: number;
  /** Each execution sleeps this long first (abortable by a stop or deadline). */
  readonly sleepMs?: number;
  /** Probability in [0, 1] that an execution fails (retryable). */
  readonly failRate?: number;
  /** Fail attempts 1..n of each job (retryable), then succeed. */
  readonly failFirst?: number;
  /**
   * Fault injection for tests: a payload object carrying `"example_fail": true` fails (retryable) its
   * first n executions in this worker process, counted per payload (by its JSON), then succeeds.
   * Unlike `failFirst` this reaches workflow step retries, which are new jobs at attempt 1. Default 0.
   */
  readonly failMarked?: number;
  /** Copy these variables of the hand-off's env into the result, as `env` (default none: no `env`). */
  readonly echoEnv?: readonly string[];
  /** The status to report (default SUCCEEDED); COMPLETED exercises the alias. */
  readonly status?: string;
  readonly executionLog?: ExecutionLogOption;
  readonly heartbeatIntervalMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
  /** Source of randomness for `failRate` (tests pass a fixed one). */
  readonly random?: () => number;
}

export function defaultExampleWorkerId(): string {
  return `example-${hostname().replace(/[^A-Za-z0-9_-]/g, '-')}-${process.pid}`.slice(0, 64);
}

export function exampleHandler(options: ExampleWorkerOptions): JobHandler {
  const sleepMs = options.sleepMs ?? 0;
  const failRate = options.failRate ?? 0;
  const failFirst = options.failFirst ?? 0;
  const status = options.status ?? 'SUCCEEDED';
  const random = options.random ?? Math.random;
  const failMarked = options.failMarked ?? 0;
  const echoEnv = options.echoEnv ?? [];
  const marked = new Map<string, number>();
  return async (job, { signal, worker_id, env }) => {
    if (sleepMs > 0) await sleep(sleepMs, undefined, { signal });
    if (job.attempt <= failFirst) {
      throw new JobError('example_fail_first', `failing attempt ${job.attempt} of the first ${failFirst} on purpose`);
    }
    if (failMarked > 0 && isMarked(job.payload)) {
      const key = JSON.stringify(job.payload);
      const seen = (marked.get(key) ?? 0) + 1;
      marked.set(key, seen);
      if (seen <= failMarked) {
        throw new JobError('example_fail_marked', `failing execution ${seen} of a marked payload on purpose`);
      }
    }
    if (failRate > 0 && random() < failRate) {
      throw new JobError('example_fail_rate', `failing on purpose (fail rate ${failRate})`);
    }
    const result =
      echoEnv.length === 0
        ? { echo: job.payload, worker_id }
        : {
            echo: job.payload,
            worker_id,
            env: Object.fromEntries(
              echoEnv.filter((name) => Object.hasOwn(env, name)).map((name) => [name, env[name]]),
            ),
          };
    if (status === 'SUCCEEDED') return result;
    if (status === 'COMPLETED') return outcome({ status, result });
    return outcome({ status, error_code: 'example_status', error_message: `reporting ${status} on purpose` });
  };
}

function isMarked(payload: unknown): boolean {
  return (
    typeof payload === 'object' &&
    payload !== null &&
    !Array.isArray(payload) &&
    (payload as Record<string, unknown>).example_fail === true
  );
}

export function startExampleWorker(options: ExampleWorkerOptions): Promise<Worker> {
  const failRate = options.failRate ?? 0;
  if (!(failRate >= 0 && failRate <= 1)) throw new TypeError('failRate must be between 0 and 1');
  return createWorker(
    {
      ...(options.transport === undefined ? { servers: options.natsUrl ?? [] } : { transport: options.transport }),
      worker_id: options.workerId ?? defaultExampleWorkerId(),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(options.pool === undefined ? {} : { pool: options.pool }),
      ...(options.topics === undefined ? {} : { topics: options.topics }),
      ...(options.maxParallel === undefined ? {} : { max_parallel: options.maxParallel }),
      ...(options.executionLog === undefined ? {} : { executionLog: options.executionLog }),
      ...(options.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: options.heartbeatIntervalMs }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
      ...(options.natsUser === undefined ? {} : { user: options.natsUser, pass: options.natsPass ?? '' }),
      ...(options.acceptDelayMs === undefined ? {} : { acceptDelayMs: options.acceptDelayMs }),
      ...(options.handOffDelayMs === undefined ? {} : { handOffDelayMs: options.handOffDelayMs }),
    },
    exampleHandler(options),
  );
}
