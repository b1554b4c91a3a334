/**
 * `evolve` for DLQ entries: total and pure. An event that does not apply leaves the state unchanged.
 */
import type { DlqEvent } from './events.ts';
import type { DlqState } from './state.ts';

export function evolveDlq(state: DlqState, event: DlqEvent): DlqState {
  switch (event.type) {
    case 'DlqEntryAdded': {
      if (state.status !== 'NONE') return state;
      const { data } = event;
      return {
        status: 'ACTIVE',
        keys: data.keys,
        job_id: data.job_id,
        tenant: data.tenant,
        topic: data.topic,
        final_state: data.final_state,
        reason_code: data.reason_code,
        reason: data.reason,
        attempts: data.attempts,
        worker_id: data.worker_id,
        created_at: data.created_at,
        request: data.request,
        retries: 0,
        retried_as: null,
        deleted_at: null,
      };
    }
    case 'DlqRetried':
      if (state.status !== 'ACTIVE') return state;
      return { ...state, retries: event.data.n, retried_as: event.data.new_job_id };
    case 'DlqEntryDeleted':
      if (state.status !== 'ACTIVE') return state;
      return { ...state, status: 'DELETED', deleted_at: event.data.at };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

export function foldDlq(events: readonly DlqEvent[], from: DlqState = { status: 'NONE' }): DlqState {
  return events.reduce(evolveDlq, from);
}
