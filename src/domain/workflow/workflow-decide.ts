/**
 * Commands on a workflow definition: create (`POST`, 409 if it exists), update (`PUT`, a new
 * version; `If-Match` → `expected_version`, a mismatch is `ConflictError` code `version_mismatch`,
 * which the API answers 412), delete (idempotent once deleted). A create after a delete continues
 * the version count, so a version number never names two definitions.
 */
import { ConflictError, NotFoundError, type ValidationError } from '../shared/errors.ts';
import type { WorkflowDefinition } from './definition.ts';
import { parseWorkflowDefinition } from './parse-definition.ts';
import type {
  WorkflowDefined,
  WorkflowDeleted,
  WorkflowEvent,
  WorkflowKeys,
  WorkflowState,
} from './workflow-events.ts';

interface CommandBase {
  readonly workflow_id: string;
  readonly org_id: string;
  readonly now: number;
  readonly by: string;
}

export interface CreateWorkflow extends CommandBase {
  readonly type: 'CreateWorkflow';
  /** The request body, unvalidated. */
  readonly definition: unknown;
}

export interface UpdateWorkflow extends CommandBase {
  readonly type: 'UpdateWorkflow';
  readonly definition: unknown;
  /** From `If-Match`; null when the request had none. */
  readonly expected_version: number | null;
}

export interface DeleteWorkflow extends CommandBase {
  readonly type: 'DeleteWorkflow';
  readonly expected_version: number | null;
}

export type WorkflowCommand = CreateWorkflow | UpdateWorkflow | DeleteWorkflow;

export type WorkflowDecision = readonly WorkflowEvent[] | ValidationError | ConflictError | NotFoundError;

export function decideWorkflow(command: WorkflowCommand, state: WorkflowState): WorkflowDecision {
  switch (command.type) {
    case 'CreateWorkflow': {
      if (state.status === 'ACTIVE') {
        return new ConflictError(`workflow ${command.workflow_id} exists (update it with PUT)`, 'workflow_exists');
      }
      const definition = parse(command);
      if (!isDefinition(definition)) return definition;
      const version = state.status === 'DELETED' ? state.version + 1 : 1;
      return [defined(command, definition, version, state.status === 'DELETED' ? 'DELETED' : null, command.now)];
    }
    case 'UpdateWorkflow': {
      if (state.status !== 'ACTIVE') return notFound(command.workflow_id);
      const mismatch = checkVersion(command.expected_version, state.version);
      if (mismatch !== null) return mismatch;
      const definition = parse(command);
      if (!isDefinition(definition)) return definition;
      return [defined(command, definition, state.version + 1, 'ACTIVE', state.keys.created_at)];
    }
    case 'DeleteWorkflow': {
      if (state.status === 'NONE') return notFound(command.workflow_id);
      if (state.status === 'DELETED') return [];
      const mismatch = checkVersion(command.expected_version, state.version);
      if (mismatch !== null) return mismatch;
      const deleted: WorkflowDeleted = {
        type: 'WorkflowDeleted',
        data: {
          keys: state.keys,
          status_before: 'ACTIVE',
          status_after: 'DELETED',
          version: state.version,
          at: command.now,
          by: command.by,
        },
      };
      return [deleted];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function parse(command: CreateWorkflow | UpdateWorkflow): WorkflowDefinition | ValidationError {
  return parseWorkflowDefinition(command.definition, { workflow_id: command.workflow_id, org_id: command.org_id });
}

function isDefinition(value: WorkflowDefinition | ValidationError): value is WorkflowDefinition {
  return !(value instanceof Error);
}

function defined(
  command: CommandBase,
  definition: WorkflowDefinition,
  version: number,
  before: 'ACTIVE' | 'DELETED' | null,
  createdAt: number,
): WorkflowDefined {
  const keys: WorkflowKeys = {
    workflow_id: definition.id,
    org_id: definition.org_id,
    team_id: definition.team_id,
    name: definition.name,
    created_at: createdAt,
  };
  return {
    type: 'WorkflowDefined',
    data: { keys, status_before: before, status_after: 'ACTIVE', version, at: command.now, by: command.by, definition },
  };
}

function checkVersion(expected: number | null, actual: number): ConflictError | null {
  if (expected === null || expected === actual) return null;
  return new ConflictError(`the workflow is at version ${actual}, not ${expected}`, 'version_mismatch');
}

function notFound(workflowId: string): NotFoundError {
  return new NotFoundError(`workflow ${workflowId} not found`, 'workflow_not_found');
}
