/**
 * The fault suite's test bed: private nats-server and redis-server (so a test may restart them), one
 * Coretex installation under a prefix, split over processes — `api` alone, an engine (scheduler,
 * workflows, projector, and the reconciler unless it runs alone), optionally a reconciler of its own
 * (for clock jumps) — a probe projector process, real example workers (`coretex worker --example`)
 * logging every execution, and a remote safety kernel the test can make hang or fail.
 * Leases last CORETEX_LEASE_TTL = 1.5 s, so a process started after a kill takes over quickly.
 * With `archive`, the installation archives finished jobs about a second after they end (ARCHIVING).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniquePrefix } from '../../harness/prefix.ts';
import { type RunningServer, startNatsServer, startRedisServer } from '../../harness/servers.ts';
import { waitFor } from '../../harness/wait-for.ts';
import { Api } from '../../e2e/support/api.ts';
import { eventStreamName } from '../../../src/adapters/jetstream/subjects.ts';
import { AGGREGATE_TYPES } from '../../../src/domain/shared/stream.ts';
import {
  type CoretexProcess,
  type Installation,
  KEYS,
  type Proc,
  startCoretex,
  startCoretexWithoutApi,
  startWorker,
  type WorkerProcess,
} from '../../e2e/support/processes.ts';

export const LEASE_TTL_MS = 1_500;
/** Per topic: `ok` jobs retry, `once` jobs have one attempt (FAILED at the worker's fail rate), `slow` ones time out. */
export const TIMEOUTS = { dispatch_ms: 4_000, running_ms: 2_500, slow_running_ms: 600 };
/** The longest a job can take once the control plane runs again: every attempt's timeouts and backoffs. */
export const LONGEST_JOB_MS = 3 * (TIMEOUTS.dispatch_ms + TIMEOUTS.running_ms) + 2 * 400;

export type KernelMode = 'ok' | 'hang' | 'error';

/**
 * An installation that archives (docs/retention.md): a finished job is archived a second after it ends
 * and the archiver writes every 250 ms, so it works through every episode (its crash point,
 * `archiver.after_write_before_event`, is reached). The hot window is long enough that no event ages out
 * of the job stream during a suite: the checker folds every history from its first event.
 */
export const ARCHIVING = {
  hotWindowMs: 30 * 60_000,
  env: {
    CORETEX_HOT_WINDOW: '30m',
    CORETEX_IDEMPOTENCY_TTL: '30m',
    CORETEX_ARCHIVE_AFTER: '1s',
    CORETEX_ARCHIVE_FLUSH: '250ms',
    CORETEX_ARCHIVE_SHARDS: '4',
  },
} as const;

export interface BedOptions {
  /** Run the reconciler in a process of its own (with the clock-offset file): for clock jumps. */
  readonly separateReconciler?: boolean;
  /** Route safety decisions through the test's remote kernel. */
  readonly remoteKernel?: boolean;
  /**
   * A second engine process (default one): the partitions and leases are shared between them, so a
   * kill moves partitions to the survivor and a restart moves some back (takeovers of cached state).
   */
  readonly secondEngine?: boolean;
  /** Archive finished jobs (ARCHIVING): the read models drop them once archived. */
  readonly archive?: boolean;
}

const ENGINE_ROLES = 'scheduler,workflows,projector,reconciler';
const PROBE = join(import.meta.dirname, 'probe-process.ts');

export class FaultBed {
  readonly nats: RunningServer;
  readonly redis: RunningServer;
  readonly installation: Installation;
  readonly workers: WorkerProcess[] = [];
  /** Every worker ever started here, killed ones too: their execution logs stay readable. */
  readonly allWorkers: WorkerProcess[] = [];
  readonly clockFile: string;
  readonly #options: BedOptions;
  readonly #dir: string;
  #api: CoretexProcess | null = null;
  #engine: Proc | null = null;
  #second: Proc | null = null;
  #reconciler: Proc | null = null;
  #probe: ChildProcess | null = null;
  #probeExited: Promise<void> = Promise.resolve();
  #kernel: Server | null = null;
  #kernelMode: KernelMode = 'ok';
  #kernelUrl = '';
  #workerSerial = 0;
  readonly #coretex: Proc[] = [];
  /** Coretex processes that died at a crash point (their output names it). */
  readonly crashes: string[] = [];

  private constructor(nats: RunningServer, redis: RunningServer, options: BedOptions) {
    this.nats = nats;
    this.redis = redis;
    this.#options = options;
    this.installation = { natsUrl: nats.url, redisUrl: redis.url, prefix: uniquePrefix('f') };
    this.#dir = mkdtempSync(join(tmpdir(), 'coretex-faults-'));
    this.clockFile = join(this.#dir, 'clock-offset-ms');
    writeFileSync(this.clockFile, '0');
  }

  /** The installation's hot window (CORETEX_HOT_WINDOW) in ms; 0: none. */
  get hotWindowMs(): number {
    return this.#options.archive === true ? ARCHIVING.hotWindowMs : 0;
  }

  get archives(): boolean {
    return this.#options.archive === true;
  }

  static async start(options: BedOptions = {}): Promise<FaultBed> {
    const [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
    const bed = new FaultBed(nats, redis, options);
    if (options.remoteKernel === true) await bed.#startKernel();
    await bed.startApi();
    await bed.startEngine();
    if (options.secondEngine === true) await bed.startSecondEngine();
    if (options.separateReconciler === true) await bed.startReconciler();
    bed.startProbe();
    const admin = bed.admin();
    const put = await admin.put('/api/v1/config/system/default', { data: bed.#system() });
    if (put.status !== 200) throw new Error(`config put: ${put.status} ${JSON.stringify(put.body)}`);
    const workflow = await bed.client().post('/api/v1/workflows', {
      id: 'pipe',
      steps: {
        a: { topic: 'job.ok', input: { n: '${input.n}' }, retry: { max_retries: 2, initial_backoff_ms: 100 } },
        b: {
          topic: 'job.ok',
          depends_on: ['a'],
          input: { from_a: '${steps.a.output.echo.n}' },
          retry: { max_retries: 2, initial_backoff_ms: 100 },
        },
      },
    });
    if (workflow.status !== 201) throw new Error(`workflow: ${workflow.status} ${JSON.stringify(workflow.body)}`);
    await Promise.all([bed.startWorker('ok'), bed.startWorker('ok'), bed.startWorker('slow')]);
    // The API refuses jobs (503 config_unavailable) until the config read model has the config put
    // above: a first episode whose fault came before that measured nothing but refusals.
    await waitFor('the read models to catch up with the set-up', async () => (await bed.readModels()).caughtUp, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    return bed;
  }

  /** Whether every projection is at its streams' heads (`/api/v1/status`), and the status as answered. */
  async readModels(): Promise<{ caughtUp: boolean; status: unknown }> {
    const answer = await this.admin().get<{ projections: { streams: { lag: number | null }[] }[] }>('/api/v1/status');
    const caughtUp = answer.status === 200 && answer.body.projections.every((p) => p.streams.every((s) => s.lag === 0));
    return { caughtUp, status: answer.body };
  }

  #system(): Record<string, unknown> {
    return {
      routing: { topics: { 'job.ok': 'fault', 'job.once': 'fault', 'job.slow': 'slow' }, pools: {} },
      timeouts: {
        dispatch_ms: TIMEOUTS.dispatch_ms,
        running_ms: TIMEOUTS.running_ms,
        topics: { 'job.slow': { running_ms: TIMEOUTS.slow_running_ms } },
      },
      safety: {
        rules: { deny_topics: ['job.denied'] },
        ...(this.#options.remoteKernel === true
          ? {
              remote: { url: this.#kernelUrl, timeout_ms: 300 },
              on_unavailable: 'defer',
              breaker: { failure_threshold: 3, open_ms: 500, half_open_max_probes: 1, success_threshold: 1 },
            }
          : {}),
      },
    };
  }

  async #startKernel(): Promise<void> {
    this.#kernel = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (this.#kernelMode === 'hang') return; // never answers: the kernel's timeout must cut it
        if (this.#kernelMode === 'error') {
          response.writeHead(500).end('kernel failure');
          return;
        }
        const topic = (JSON.parse(body) as { topic?: string }).topic;
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ decision: topic === 'job.denied' ? 'DENY' : 'ALLOW', policy_version: 'fault-kernel' }));
      });
    });
    this.#kernel.keepAliveTimeout = 1;
    await new Promise<void>((resolve) => this.#kernel?.listen(0, '127.0.0.1', resolve));
    this.#kernelUrl = `http://127.0.0.1:${(this.#kernel.address() as { port: number }).port}/decide`;
  }

  setKernel(mode: KernelMode): void {
    this.#kernelMode = mode;
  }

  get apiUrl(): string {
    if (this.#api === null) throw new Error('the API is down');
    return this.#api.url;
  }

  client(): Api {
    return new Api(this.apiUrl, KEYS.acme);
  }

  admin(): Api {
    return new Api(this.apiUrl, KEYS.admin);
  }

  #env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      CORETEX_LEASE_TTL: `${LEASE_TTL_MS}ms`,
      CORETEX_LOG_LEVEL: process.env.CORETEX_FAULT_LOG_LEVEL ?? 'error',
      ...(this.#options.archive === true ? ARCHIVING.env : {}),
      ...extra,
    };
  }

  /** Every Coretex process's output so far (the current ones and the killed ones), for diagnosis. */
  outputs(): string {
    return this.#coretex.map((p, i) => `--- coretex process ${i} ---\n${p.output()}`).join('\n');
  }

  async startApi(): Promise<void> {
    this.#api = await startCoretex(this.installation, { roles: 'api', env: this.#env() });
    this.#coretex.push(this.#api);
  }

  async startEngine(env: Record<string, string> = {}): Promise<Proc> {
    const roles = this.#options.separateReconciler === true ? 'scheduler,workflows,projector' : ENGINE_ROLES;
    this.#engine = await startCoretexWithoutApi(this.installation, roles, this.#env(env));
    this.#coretex.push(this.#engine);
    this.#watchCrash(this.#engine, 'engine');
    return this.#engine;
  }

  async startSecondEngine(): Promise<void> {
    const roles = this.#options.separateReconciler === true ? 'scheduler,workflows,projector' : ENGINE_ROLES;
    this.#second = await startCoretexWithoutApi(this.installation, roles, this.#env());
    this.#coretex.push(this.#second);
  }

  get hasSecondEngine(): boolean {
    return this.#options.secondEngine === true;
  }

  async killSecondEngine(): Promise<void> {
    await this.#second?.kill();
  }

  async startReconciler(): Promise<void> {
    this.#reconciler = await startCoretexWithoutApi(
      this.installation,
      'reconciler',
      this.#env({ CORETEX_CLOCK_OFFSET_FILE: this.clockFile }),
    );
    this.#coretex.push(this.#reconciler);
  }

  get engine(): Proc | null {
    return this.#engine;
  }

  #watchCrash(proc: Proc, label: string): void {
    void proc.exited.then(() => {
      const point = /crash point (\S+)/.exec(proc.output())?.[1];
      if (point !== undefined) this.crashes.push(`${label}:${point}`);
    });
  }

  startProbe(env: Record<string, string> = {}): void {
    const { natsUrl, redisUrl, prefix } = this.installation;
    const child = spawn(
      process.execPath,
      [PROBE, natsUrl, redisUrl, prefix, `probe-${Date.now()}`, String(LEASE_TTL_MS), String(this.hotWindowMs)],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CORETEX_CRASH_AT: '', ...env } },
    );
    child.stderr?.resume();
    this.#probe = child;
    this.#probeExited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  async killProbe(): Promise<void> {
    const probe = this.#probe;
    if (probe !== null && probe.exitCode === null && probe.signalCode === null) probe.kill('SIGKILL');
    await this.#probeExited;
    this.#probe = null;
  }

  async killApi(): Promise<void> {
    await this.#api?.kill();
    this.#api = null;
  }

  async killEngine(): Promise<void> {
    await this.#engine?.kill();
  }

  async killReconciler(): Promise<void> {
    await this.#reconciler?.kill();
  }

  /** Every Coretex process and the probe running again, none armed. */
  async heal(): Promise<void> {
    if (this.#api === null || this.#api.child.exitCode !== null || this.#api.child.signalCode !== null) {
      await this.startApi();
    }
    const engine = this.#engine;
    if (engine === null || engine.child.exitCode !== null || engine.child.signalCode !== null) {
      await this.startEngine();
    }
    const second = this.#second;
    if (second !== null && (second.child.exitCode !== null || second.child.signalCode !== null)) {
      await this.startSecondEngine();
    }
    const reconciler = this.#reconciler;
    if (reconciler !== null && (reconciler.child.exitCode !== null || reconciler.child.signalCode !== null)) {
      await this.startReconciler();
    }
    if (this.#probe === null || this.#probe.exitCode !== null || this.#probe.signalCode !== null) this.startProbe();
    this.setKernel('ok');
    writeFileSync(this.clockFile, '0');
  }

  async startWorker(kind: 'ok' | 'slow'): Promise<WorkerProcess> {
    const serial = ++this.#workerSerial;
    const worker = await startWorker(this.installation, {
      id: `${kind}-${serial}`,
      pool: kind === 'ok' ? 'fault' : 'slow',
      maxParallel: kind === 'ok' ? 16 : 8,
      sleepMs: kind === 'ok' ? 120 : 5_000,
      ...(kind === 'ok' ? { failRate: 0.1 } : {}),
    });
    this.workers.push(worker);
    this.allWorkers.push(worker);
    return worker;
  }

  /** SIGKILLs one running worker of the pool, and starts a fresh one in its place. */
  async killWorker(index: number): Promise<WorkerProcess> {
    const fault = this.workers.filter((w) => w.id.startsWith('ok-'));
    const victim = fault[index % fault.length];
    if (victim === undefined) throw new Error('no worker to kill');
    await victim.kill();
    this.workers.splice(this.workers.indexOf(victim), 1);
    return this.startWorker('ok');
  }

  executions(): ReturnType<WorkerProcess['executions']> {
    return this.allWorkers.flatMap((w) => w.executions());
  }

  /**
   * The last sequence of each event stream (by aggregate type), read now on a connection of its own:
   * around a nats-server restart, a head that went back means acknowledged appends were lost.
   */
  async streamHeads(): Promise<Record<string, number>> {
    const nc = await connect({ servers: this.nats.url, timeout: 5_000 });
    try {
      const jsm = await jetstreamManager(nc);
      const heads: Record<string, number> = {};
      for (const type of AGGREGATE_TYPES) {
        const info = await jsm.streams.info(eventStreamName(this.installation.prefix, type)).catch(() => null);
        if (info !== null) heads[type] = info.state.last_seq;
      }
      return heads;
    } finally {
      await nc.close();
    }
  }

  /** Waits until a process that should be running is (the API answers). */
  async ready(): Promise<void> {
    await waitFor('the API to answer', async () => (await this.client().get('/health')).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([
      ...this.allWorkers.map((w) => w.kill()),
      this.#api?.kill(),
      this.#engine?.kill(),
      this.#second?.kill(),
      this.#reconciler?.kill(),
      this.killProbe(),
    ]);
    this.#kernel?.close();
    this.#kernel?.closeAllConnections();
    await Promise.allSettled([this.nats.dispose(), this.redis.dispose()]);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
