/**
 * The in-process Coretex of `runtime-harness.ts` with the workflow engine on top: the workflow
 * runtime, its read models (runs, runs_due, workflows) with their runners, the workflows role and the
 * run reconciler — everything real but the workers, which tests play with `FakeWorker`. The role can
 * be stopped and a new one started, as a process restart would.
 */
import type { StoredEvent } from '../../src/domain/shared/events.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { type EndedRun, isLive } from '../../src/domain/workflow/run-state.ts';
import {
  createWorkflowRuntime,
  type StartedWorkflowRuntime,
  WORKFLOW_PROJECTIONS,
} from '../../src/app/workflows/create-workflow-runtime.ts';
import type { RunReconciler } from '../../src/app/workflows/run-reconciler.ts';
import type { RunAnswer } from '../../src/app/workflows/run-answer.ts';
import type { WorkflowRuntimeOptions } from '../../src/app/workflows/runtime.ts';
import { startRun, type StartRunRequest } from '../../src/app/workflows/start-run.ts';
import { createWorkflow, type WorkflowAnswer } from '../../src/app/workflows/workflow-commands.ts';
import type { WorkflowsRole } from '../../src/app/workflows/workflows-role.ts';
import { waitFor } from '../harness/wait-for.ts';
import { FakeWorker, type FakeWorkerOptions } from './fake-worker.ts';
import { type Harness, type HarnessOptions, startHarness } from './runtime-harness.ts';

export const TENANT = 'acme';

export interface WorkflowHarnessOptions extends HarnessOptions {
  readonly workflows?: Partial<WorkflowRuntimeOptions>;
}

export interface WorkflowHarness {
  readonly base: Harness;
  readonly wf: StartedWorkflowRuntime;
  readonly reconciler: RunReconciler;
  /** The workflows role now running (a new one after `restartWorkflows`). */
  readonly role: WorkflowsRole | null;
  stopWorkflows(): Promise<void>;
  startWorkflows(): void;
  /** A worker on the default pool, with room for every job a test gives it. */
  worker(options: Partial<FakeWorkerOptions> & { readonly id: string }): Promise<FakeWorker>;
  define(workflowId: string, definition: Record<string, unknown>): Promise<WorkflowAnswer>;
  run(workflowId: string, input?: unknown, request?: Partial<StartRunRequest>): Promise<RunAnswer>;
  runEvents(runId: string): Promise<StoredEvent[]>;
  /** Waits until the run has ended, and gives it as the event store knows it. */
  finished(runId: string, timeoutMs?: number): Promise<EndedRun>;
  jobEvents(jobId: string): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export async function startWorkflowHarness(options: WorkflowHarnessOptions = {}): Promise<WorkflowHarness> {
  const base = await startHarness(options);
  const wf = await createWorkflowRuntime(base.rt, {
    kv: base.kv,
    leases: base.leases,
    cursors: base.cursors,
    options: { pendingGraceMs: 500, ...options.workflows },
  });
  for (const projection of WORKFLOW_PROJECTIONS) base.runProjection(projection);
  const reconciler = wf.runReconciler({ owner: 'test', intervalMs: 50 });
  reconciler.start();
  let role: WorkflowsRole | null = null;
  let incarnation = 0;
  const workers: FakeWorker[] = [];
  const startWorkflows = () => {
    role = wf.workflowsRole({ owner: `test-${++incarnation}`, leaseTtlMs: 600 });
    role.start();
  };
  const stopWorkflows = async () => {
    const current = role;
    role = null;
    await current?.stop();
  };
  startWorkflows();
  const runEvents = async (runId: string) => [
    ...(await base.events.read(streamId('run', TENANT, runId), { from: 1 })).events,
  ];
  return {
    base,
    wf,
    reconciler,
    get role() {
      return role;
    },
    stopWorkflows,
    startWorkflows,
    async worker(workerOptions) {
      const bucket = await base.kv.bucket('workers', { maxAgeMs: 30_000 });
      const worker = await new FakeWorker(base.bus, bucket, { maxParallel: 1_000, ...workerOptions }).start();
      workers.push(worker);
      await waitFor(`worker ${worker.id} in the registry`, () => base.rt.registry.registry.workers.has(worker.id));
      return worker;
    },
    define: (workflowId, definition) =>
      createWorkflow(wf, { tenant: TENANT, workflow_id: workflowId, definition, by: 'test' }),
    run: (workflowId, input = {}, request = {}) =>
      startRun(wf, {
        tenant: TENANT,
        workflow_id: workflowId,
        input,
        team_id: null,
        idempotency_key: null,
        trace_id: null,
        started_by: 'api:test',
        ...request,
      }),
    runEvents,
    async finished(runId, timeoutMs = 15_000) {
      return waitFor(
        `run ${runId} to end`,
        async () => {
          const run = await wf.runs.load(streamId('run', TENANT, runId), { fresh: true });
          const state = run.state;
          return state.status !== 'NONE' && !isLive(state) ? state : undefined;
        },
        { timeoutMs },
      );
    },
    jobEvents: async (jobId) => [...(await base.events.read(streamId('job', TENANT, jobId), { from: 1 })).events],
    async stop() {
      for (const worker of workers.splice(0)) worker.stop();
      await reconciler.stop();
      await stopWorkflows();
      await base.stop();
    },
  };
}
