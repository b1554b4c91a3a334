/**
 * Builds the workflow engine on a started job runtime (the composition root hands in the job runtime
 * and the coordination ports): the run and workflow repositories, the run effects, the replay
 * handlers of what the engine parks; and makes its two roles — the workflows role (one process
 * manager per leased partition) and the run reconciler — and names the read models it needs run.
 */
import type { Projection } from '../../projections/projection.ts';
import { runsDueProjection } from '../../projections/runs-due/projection.ts';
import { runsProjection } from '../../projections/runs/projection.ts';
import { workflowsProjection } from '../../projections/workflows/projection.ts';
import type { StartedRuntime } from '../jobs/create-runtime.ts';
import type { CursorStore, KvStore, LeaseStore } from '../ports.ts';
import { registerWorkflowReplays } from './reactions.ts';
import { RunEffects } from './run-effects.ts';
import { RunReconciler, type RunReconcilerOptions } from './run-reconciler.ts';
import { runRepository } from './run-repository.ts';
import { DEFAULT_WORKFLOW_OPTIONS, type WorkflowRuntime, type WorkflowRuntimeOptions } from './runtime.ts';
import { workflowRepository } from './workflow-repository.ts';
import { type RoleMember, WorkflowsRole, type WorkflowsRoleOptions } from './workflows-role.ts';

export interface WorkflowRuntimePorts {
  readonly kv: KvStore;
  readonly leases: LeaseStore;
  readonly cursors: CursorStore;
  readonly options?: Partial<WorkflowRuntimeOptions>;
}

/** The read models the workflow engine and the API read: run them with projection runners. */
export const WORKFLOW_PROJECTIONS: readonly Projection[] = [runsProjection, runsDueProjection, workflowsProjection];

export interface StartedWorkflowRuntime extends WorkflowRuntime {
  /** The workflows role of this process; start it, and stop it on shutdown. */
  workflowsRole(options: WorkflowsRoleOptions): WorkflowsRole;
  /** The run reconciler of this process (one is active across processes, under `reconciler.runs`). */
  runReconciler(options: RunReconcilerOptions): RunReconciler;
}

export async function createWorkflowRuntime(
  rt: StartedRuntime,
  ports: WorkflowRuntimePorts,
): Promise<StartedWorkflowRuntime> {
  const members = await ports.kv.bucket<RoleMember>('workflow-members');
  const runs = runRepository(rt.events, rt.clock);
  const wrt: StartedWorkflowRuntime = {
    rt,
    runs,
    workflows: workflowRepository(rt.events, rt.clock),
    effects: new RunEffects(rt, runs),
    options: { ...DEFAULT_WORKFLOW_OPTIONS, ...ports.options },
    workflowsRole: (options) => new WorkflowsRole(wrt, ports.leases, ports.cursors, members, options),
    runReconciler: (options) => new RunReconciler(wrt, ports.leases, options),
  };
  registerWorkflowReplays(wrt);
  return wrt;
}
