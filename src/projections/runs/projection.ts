/**
 * The `runs` read model (SPEC 2.2 `GET /api/v1/workflow-runs`): a document per run and one sorted-set
 * index per supported filter — all, status, workflow_id, team_id, and each of the last two with a
 * status — by creation time. Built from run events alone: each carries the run's index keys, its
 * status before and after and its step changes, so no write depends on reading state.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { RunEvent, RunKeys, RunStatus } from '../../domain/workflow/run-events.ts';
import type { Projection } from '../projection.ts';
import { hset, type Write, zadd, zrem } from '../write.ts';
import {
  ALL_TENANTS,
  RUN_FILTER_FIELDS,
  runDocKey,
  type RunIndexFilter,
  runIndexKey,
  runIndexMember,
  stepField,
} from './keys.ts';
import { isRunEvent, runEventOf } from './run-events.ts';

export const runsProjection: Projection = { name: 'runs', schema: 1, streams: ['run'], evolve };

function evolve(stored: StoredEvent): Write[] {
  if (!isRunEvent(stored)) return [];
  const event = runEventOf(stored);
  const data = event.data;
  const tenant = stored.tenant;
  const runId = data.keys.run_id;
  const writes: Write[] = [
    hset(runDocKey(tenant, runId), { ...documentFields(event), tenant, updated_at: String(Date.parse(stored.time)) }),
  ];
  const before = data.status_before;
  const after = data.status_after;
  for (const indexTenant of [tenant, ALL_TENANTS]) {
    const member = runIndexMember(indexTenant, tenant, runId);
    const global = indexTenant === ALL_TENANTS;
    const keep = (filter: RunIndexFilter) => !global || filter.field === undefined;
    if (before === null) {
      for (const filter of [{}, ...fieldFilters(data.keys), ...statusFilters(data.keys, after)].filter(keep)) {
        writes.push(zadd(runIndexKey(indexTenant, filter), data.keys.created_at, member));
      }
    } else if (before !== after) {
      for (const filter of statusFilters(data.keys, before).filter(keep)) {
        writes.push(zrem(runIndexKey(indexTenant, filter), member));
      }
      for (const filter of statusFilters(data.keys, after).filter(keep)) {
        writes.push(zadd(runIndexKey(indexTenant, filter), data.keys.created_at, member));
      }
    }
  }
  return writes;
}

function fieldFilters(keys: RunKeys): RunIndexFilter[] {
  return RUN_FILTER_FIELDS.flatMap((field) => {
    const value = keys[field];
    return value === null || value === '' ? [] : [{ field, value }];
  });
}

/** The indexes that include the status: the ones a status change moves the run between. */
function statusFilters(keys: RunKeys, status: RunStatus): RunIndexFilter[] {
  return [{ status }, ...fieldFilters(keys).map((filter) => ({ ...filter, status }))];
}

/** The document fields an event sets (strings; absent values as ''). */
function documentFields(event: RunEvent): Record<string, string> {
  const data = event.data;
  const fields: Record<string, string> = {
    status: data.status_after,
    due_at: num(data.due_at),
    last_event: event.type,
  };
  if (event.type === 'RunStarted') {
    Object.assign(fields, {
      run_id: data.keys.run_id,
      workflow_id: data.keys.workflow_id,
      workflow_version: String(data.keys.workflow_version),
      team_id: data.keys.team_id ?? '',
      created_at: String(data.keys.created_at),
      started_by: event.data.started_by,
      trace_id: event.data.trace_id,
      rerun_of: event.data.rerun_of?.run_id ?? '',
      rerun_from_step: event.data.rerun_of?.from_step ?? '',
      timeout_at: num(event.data.timeout_at),
      steps: JSON.stringify(Object.keys(event.data.definition.steps)),
    });
    for (const stepId of Object.keys(event.data.definition.steps)) fields[stepField(stepId)] = 'PENDING';
  }
  // The changes in order: the last one that names a step's status is where the step stands.
  for (const change of data.changes) {
    if (change.type === 'step_started' || change.type === 'step_settled') {
      fields[stepField(change.step_id)] = change.status;
    }
  }
  if (data.outcome !== null) {
    Object.assign(fields, {
      ended_at: String(data.at),
      error_code: data.outcome.error?.code ?? '',
      error_message: data.outcome.error?.message ?? '',
      error_step: data.outcome.error?.step_id ?? '',
    });
  }
  return fields;
}

function num(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
