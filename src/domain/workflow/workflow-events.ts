/**
 * The workflow definition aggregate: each save appends a version (`WorkflowDefined`), a delete
 * appends `WorkflowDeleted`. Runs are pinned to the version they started with (they carry its
 * definition), so neither an update nor a delete touches a run already going. Every event carries
 * the list-index `keys` and the status before and after, as job and run events do.
 */
import type { DomainEvent } from '../shared/events.ts';
import type { WorkflowDefinition } from './definition.ts';

export type WorkflowStatus = 'ACTIVE' | 'DELETED';

export interface WorkflowKeys {
  readonly workflow_id: string;
  readonly org_id: string;
  readonly team_id: string | null;
  readonly name: string;
  /** When version 1 was saved: the score of the creation-time index. */
  readonly created_at: number;
}

interface WorkflowTransition {
  readonly keys: WorkflowKeys;
  readonly status_before: WorkflowStatus | null;
  readonly status_after: WorkflowStatus;
  /** The version this event creates (defined) or ends (deleted). */
  readonly version: number;
  readonly at: number;
  readonly by: string;
}

export type WorkflowDefined = DomainEvent<
  'WorkflowDefined',
  WorkflowTransition & { readonly definition: WorkflowDefinition }
>;
export type WorkflowDeleted = DomainEvent<'WorkflowDeleted', WorkflowTransition>;

export type WorkflowEvent = WorkflowDefined | WorkflowDeleted;

export type WorkflowState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'ACTIVE';
      readonly keys: WorkflowKeys;
      readonly version: number;
      readonly definition: WorkflowDefinition;
    }
  | { readonly status: 'DELETED'; readonly keys: WorkflowKeys; readonly version: number };

export const initialWorkflowState: WorkflowState = { status: 'NONE' };

/** Each event carries the whole new state of the definition, so the previous state is not needed. */
export function evolveWorkflow(_state: WorkflowState, event: WorkflowEvent): WorkflowState {
  switch (event.type) {
    case 'WorkflowDefined':
      return {
        status: 'ACTIVE',
        keys: event.data.keys,
        version: event.data.version,
        definition: event.data.definition,
      };
    case 'WorkflowDeleted':
      return { status: 'DELETED', keys: event.data.keys, version: event.data.version };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
