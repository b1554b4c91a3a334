/**
 * Bulk operations (SPEC 1.9, 1.10): a cancel or DLQ retry of everything a filter matches, run as its
 * own aggregate so it has an id, progress, and survives a crash (it resumes from the last recorded
 * page cursor; cancelling or retrying an item twice changes nothing). One decision, one event.
 */
import type { DomainEvent } from '../shared/events.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';

export type OperationKind = 'bulk_cancel' | 'bulk_dlq_retry';
export type OperationStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface OperationKeys {
  readonly operation_id: string;
  readonly kind: OperationKind;
  readonly created_at: number;
}

export type OperationRequested = DomainEvent<
  'OperationRequested',
  {
    readonly keys: OperationKeys;
    /** The list filter, as the matching list endpoint takes it. */
    readonly filter: Readonly<Record<string, unknown>>;
    readonly reason: string | null;
    readonly requested_by: string;
  }
>;

export type OperationProgressed = DomainEvent<
  'OperationProgressed',
  {
    readonly keys: OperationKeys;
    readonly processed: number;
    readonly changed: number;
    readonly failed: number;
    /** Where the next page starts (the list cursor), or null when there is none. */
    readonly cursor: string | null;
  }
>;

export type OperationFinished = DomainEvent<
  'OperationFinished',
  {
    readonly keys: OperationKeys;
    readonly status: 'SUCCEEDED' | 'FAILED';
    readonly error: string | null;
    readonly at: number;
  }
>;

export type OperationEvent = OperationRequested | OperationProgressed | OperationFinished;

export type OperationState =
  | { readonly status: 'NONE' }
  | {
      readonly status: OperationStatus;
      readonly keys: OperationKeys;
      readonly filter: Readonly<Record<string, unknown>>;
      readonly reason: string | null;
      readonly requested_by: string;
      readonly processed: number;
      readonly changed: number;
      readonly failed: number;
      readonly cursor: string | null;
      readonly error: string | null;
      readonly finished_at: number | null;
    };

export const NO_OPERATION: OperationState = { status: 'NONE' };

export function evolveOperation(state: OperationState, event: OperationEvent): OperationState {
  switch (event.type) {
    case 'OperationRequested':
      return {
        status: 'RUNNING',
        keys: event.data.keys,
        filter: event.data.filter,
        reason: event.data.reason,
        requested_by: event.data.requested_by,
        processed: 0,
        changed: 0,
        failed: 0,
        cursor: null,
        error: null,
        finished_at: null,
      };
    case 'OperationProgressed':
      if (state.status !== 'RUNNING') return state;
      return {
        ...state,
        processed: event.data.processed,
        changed: event.data.changed,
        failed: event.data.failed,
        cursor: event.data.cursor,
      };
    case 'OperationFinished':
      if (state.status !== 'RUNNING') return state;
      return { ...state, status: event.data.status, error: event.data.error, finished_at: event.data.at };
    default:
      return state;
  }
}

export type OperationCommand =
  | {
      readonly type: 'RequestOperation';
      readonly operation_id: string;
      readonly kind: OperationKind;
      readonly filter: Readonly<Record<string, unknown>>;
      readonly reason: string | null;
      readonly by: string;
      readonly now: number;
    }
  | {
      readonly type: 'RecordOperationProgress';
      readonly processed: number;
      readonly changed: number;
      readonly failed: number;
      readonly cursor: string | null;
    }
  | {
      readonly type: 'FinishOperation';
      readonly status: 'SUCCEEDED' | 'FAILED';
      readonly error: string | null;
      readonly now: number;
    };

export interface OperationDecision {
  readonly events: readonly [] | readonly [OperationEvent];
}

export function decideOperation(
  command: OperationCommand,
  state: OperationState,
): OperationDecision | ConflictError | NotFoundError {
  if (command.type === 'RequestOperation') {
    if (state.status !== 'NONE') return new ConflictError('an operation with this id exists', 'operation_exists');
    const keys = { operation_id: command.operation_id, kind: command.kind, created_at: command.now };
    return {
      events: [
        {
          type: 'OperationRequested',
          data: { keys, filter: command.filter, reason: command.reason, requested_by: command.by },
        },
      ],
    };
  }
  if (state.status === 'NONE') return new NotFoundError('no such operation', 'operation_not_found');
  if (state.status !== 'RUNNING') return { events: [] };
  if (command.type === 'RecordOperationProgress') {
    // Progress only moves forward (a replayed page is not counted twice).
    if (command.processed <= state.processed) return { events: [] };
    return { events: [{ type: 'OperationProgressed', data: { keys: state.keys, ...omitType(command) } }] };
  }
  return {
    events: [
      {
        type: 'OperationFinished',
        data: { keys: state.keys, status: command.status, error: command.error, at: command.now },
      },
    ],
  };
}

function omitType(command: Extract<OperationCommand, { type: 'RecordOperationProgress' }>) {
  return { processed: command.processed, changed: command.changed, failed: command.failed, cursor: command.cursor };
}
