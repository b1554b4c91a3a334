/**
 * The workflow definition use cases the API calls (SPEC 2.1): create (`POST`, 201), update (`PUT`, a
 * new version; `If-Match` → `expected_version`, a mismatch is `ConflictError` code `version_mismatch`,
 * which the API answers 412), delete (`DELETE`, 204; deleting a deleted workflow changes nothing), and
 * reading one by id, at its latest or a given version, from the event store (authoritative). Each
 * answers with the workflow's state and position (`workflow:<seq>`).
 */
import { NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import { streamId } from '../../domain/shared/stream.ts';
import type { WorkflowDefinition } from '../../domain/workflow/definition.ts';
import type { WorkflowCommand } from '../../domain/workflow/workflow-decide.ts';
import type { WorkflowDefined, WorkflowState } from '../../domain/workflow/workflow-events.ts';
import { executeWorkflow } from './workflow-repository.ts';
import type { WorkflowRuntime } from './runtime.ts';

export interface WorkflowAnswer {
  readonly workflow_id: string;
  readonly state: WorkflowState;
  /** The workflow's last position in the workflow stream, and as a client token (`workflow:<seq>`). */
  readonly position: number;
  readonly position_token: string;
  /** True when the command appended an event. */
  readonly changed: boolean;
}

export interface CreateWorkflowRequest {
  readonly tenant: string;
  /** The body's `id`; null to have one generated. */
  readonly workflow_id: string | null;
  /** The request body, unvalidated. */
  readonly definition: unknown;
  readonly by: string;
}

export interface UpdateWorkflowRequest {
  readonly tenant: string;
  readonly workflow_id: string;
  readonly definition: unknown;
  /** From `If-Match`; null when the request had none. */
  readonly expected_version: number | null;
  readonly by: string;
}

export interface DeleteWorkflowRequest {
  readonly tenant: string;
  readonly workflow_id: string;
  readonly expected_version: number | null;
  readonly by: string;
}

export function createWorkflow(wrt: WorkflowRuntime, request: CreateWorkflowRequest): Promise<WorkflowAnswer> {
  const workflowId = request.workflow_id ?? wrt.rt.entropy.ulid(wrt.rt.clock.now());
  return run(wrt, request.tenant, workflowId, request.by, (now) => ({
    type: 'CreateWorkflow',
    workflow_id: workflowId,
    org_id: request.tenant,
    definition: request.definition,
    by: request.by,
    now,
  }));
}

export function updateWorkflow(wrt: WorkflowRuntime, request: UpdateWorkflowRequest): Promise<WorkflowAnswer> {
  return run(wrt, request.tenant, request.workflow_id, request.by, (now) => ({
    type: 'UpdateWorkflow',
    workflow_id: request.workflow_id,
    org_id: request.tenant,
    definition: request.definition,
    expected_version: request.expected_version,
    by: request.by,
    now,
  }));
}

export function deleteWorkflow(wrt: WorkflowRuntime, request: DeleteWorkflowRequest): Promise<WorkflowAnswer> {
  return run(wrt, request.tenant, request.workflow_id, request.by, (now) => ({
    type: 'DeleteWorkflow',
    workflow_id: request.workflow_id,
    org_id: request.tenant,
    expected_version: request.expected_version,
    by: request.by,
    now,
  }));
}

export interface WorkflowVersion {
  readonly workflow_id: string;
  readonly version: number;
  readonly definition: WorkflowDefinition;
  /** Whether the workflow is deleted now (a deleted workflow's versions stay readable by number). */
  readonly deleted: boolean;
  readonly defined_at: number;
  readonly defined_by: string;
  readonly position: number;
  readonly position_token: string;
}

/**
 * `GET /api/v1/workflows/{id}[?version=]`: the latest version of an active workflow, or the given
 * version (runs pinned to it show it). Unknown workflow or version → NotFoundError.
 */
export async function getWorkflow(
  wrt: WorkflowRuntime,
  tenant: string,
  workflowId: string,
  version: number | null = null,
): Promise<WorkflowVersion> {
  const stream = streamId('workflow', tenant, workflowId);
  const history = await wrt.rt.events.read(stream, { from: 1 });
  const defined = history.events.filter((event) => event.type === 'WorkflowDefined');
  const deleted = history.events.at(-1)?.type === 'WorkflowDeleted';
  if (version !== null && (!Number.isSafeInteger(version) || version < 1)) {
    throw new ValidationError('version', 'version must be a whole number from 1');
  }
  const found =
    version === null ? (deleted ? undefined : defined.at(-1)) : defined.find((e) => versionOf(e.data) === version);
  if (found === undefined) {
    throw new NotFoundError(
      version === null ? `workflow ${workflowId} not found` : `workflow ${workflowId} has no version ${version}`,
      'workflow_not_found',
    );
  }
  const data = found.data as WorkflowDefined['data'];
  return {
    workflow_id: workflowId,
    version: data.version,
    definition: data.definition,
    deleted,
    defined_at: data.at,
    defined_by: data.by,
    position: history.lastPosition,
    position_token: formatPositionToken({ stream: 'workflow', position: history.lastPosition }),
  };
}

function versionOf(data: unknown): number {
  return (data as WorkflowDefined['data']).version;
}

async function run(
  wrt: WorkflowRuntime,
  tenant: string,
  workflowId: string,
  by: string,
  command: (now: number) => WorkflowCommand,
): Promise<WorkflowAnswer> {
  const stream = streamId('workflow', tenant, workflowId);
  const executed = await executeWorkflow(wrt.workflows, wrt.rt.events, stream, () => command(wrt.rt.clock.now()), {
    actor: by,
  });
  if (executed instanceof Error) throw executed;
  const { state, position } = executed.after;
  return {
    workflow_id: workflowId,
    state,
    position,
    position_token: formatPositionToken({ stream: 'workflow', position }),
    changed: executed.appended !== null,
  };
}
