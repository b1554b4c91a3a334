/** What every run use case answers: the run's state and position (`run:<seq>`). */
import { NotFoundError } from '../../domain/shared/errors.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import type { ActiveRun, RunState } from '../../domain/workflow/run-state.ts';

export interface RunAnswer {
  readonly run_id: string;
  readonly state: ActiveRun;
  /** The run's last position in the run stream, and as a client token (`run:<seq>`). */
  readonly position: number;
  readonly position_token: string;
  /** True when the command appended an event. */
  readonly changed: boolean;
  /** Start and rerun: true when this answered a replay of an earlier request (same idempotency key and body). */
  readonly replayed: boolean;
}

export function runAnswer(
  runId: string,
  state: RunState,
  position: number,
  flags: { readonly changed: boolean; readonly replayed?: boolean },
): RunAnswer {
  if (state.status === 'NONE') throw new NotFoundError(`run ${runId} not found`, 'run_not_found');
  return {
    run_id: runId,
    state,
    position,
    position_token: formatPositionToken({ stream: 'run', position }),
    changed: flags.changed,
    replayed: flags.replayed ?? false,
  };
}
