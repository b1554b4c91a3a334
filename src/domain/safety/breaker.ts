/**
 * The circuit breaker in front of the remote safety kernel (SPEC 1.4), as a pure state machine:
 *   closed    — every call is admitted; `failure_threshold` consecutive failures open it;
 *   open      — nothing is admitted for `open_ms`; then it is half-open (lazily, at the next look);
 *   half_open — at most `half_open_max_probes` calls in flight at once (the probes); a probe's failure
 *               reopens it, `success_threshold` probe successes close it.
 * A timeout counts as a failure. (The fifth configurable number, the call timeout, is the remote
 * kernel's `timeout_ms`.)
 *
 * Each admitted call gets a ticket carrying the breaker's `epoch`, which changes on every transition.
 * An outcome whose ticket is from another epoch is stale and changes nothing: a slow call admitted
 * while closed cannot count as a probe success, and a probe from an earlier half-open period cannot
 * free a slot it never held. So the probe count is exact however outcomes interleave.
 */

export interface BreakerSettings {
  readonly failure_threshold: number;
  readonly open_ms: number;
  readonly half_open_max_probes: number;
  readonly success_threshold: number;
}

export const DEFAULT_BREAKER: BreakerSettings = {
  failure_threshold: 3,
  open_ms: 30_000,
  half_open_max_probes: 3,
  success_threshold: 2,
};

export type BreakerState =
  | { readonly status: 'closed'; readonly epoch: number; readonly consecutive_failures: number }
  | { readonly status: 'open'; readonly epoch: number; readonly until: number }
  | {
      readonly status: 'half_open';
      readonly epoch: number;
      readonly probes_in_flight: number;
      readonly successes: number;
    };

export type BreakerStatus = BreakerState['status'];

export const INITIAL_BREAKER: BreakerState = { status: 'closed', epoch: 0, consecutive_failures: 0 };

export interface BreakerTicket {
  readonly epoch: number;
  readonly probe: boolean;
}

export interface BreakerEvent {
  readonly type: 'success' | 'failure';
  readonly ticket: BreakerTicket;
}

export type Admission =
  | { readonly admitted: true; readonly state: BreakerState; readonly ticket: BreakerTicket }
  | {
      readonly admitted: false;
      readonly state: BreakerState;
      /** When an open breaker turns half-open; null when half-open with every probe slot taken. */
      readonly retry_at: number | null;
    };

/** The state as of `now`: an open breaker whose time is up is half-open. */
export function advance(state: BreakerState, now: number): BreakerState {
  if (state.status === 'open' && now >= state.until) {
    return { status: 'half_open', epoch: state.epoch + 1, probes_in_flight: 0, successes: 0 };
  }
  return state;
}

/** Asks to make one kernel call. Not admitted → the job is deferred (or denied, `kernelGate`). */
export function admit(state: BreakerState, now: number, settings: BreakerSettings): Admission {
  const current = advance(state, now);
  switch (current.status) {
    case 'closed':
      return { admitted: true, state: current, ticket: { epoch: current.epoch, probe: false } };
    case 'open':
      return { admitted: false, state: current, retry_at: current.until };
    case 'half_open':
      if (current.probes_in_flight >= settings.half_open_max_probes) {
        return { admitted: false, state: current, retry_at: null };
      }
      return {
        admitted: true,
        state: { ...current, probes_in_flight: current.probes_in_flight + 1 },
        ticket: { epoch: current.epoch, probe: true },
      };
    default:
      return exhaustive(current);
  }
}

/** Records a call's outcome. */
export function breaker(
  state: BreakerState,
  event: BreakerEvent,
  now: number,
  settings: BreakerSettings,
): BreakerState {
  const current = advance(state, now);
  if (event.ticket.epoch !== current.epoch) return current;
  const open = (): BreakerState => ({ status: 'open', epoch: current.epoch + 1, until: now + settings.open_ms });
  switch (current.status) {
    case 'closed':
      if (event.type === 'success') return { ...current, consecutive_failures: 0 };
      return current.consecutive_failures + 1 >= settings.failure_threshold
        ? open()
        : { ...current, consecutive_failures: current.consecutive_failures + 1 };
    case 'open':
      // Unreachable with a current ticket (open admits nothing); kept total.
      return current;
    case 'half_open': {
      if (!event.ticket.probe) return current;
      if (event.type === 'failure') return open();
      const successes = current.successes + 1;
      if (successes >= settings.success_threshold) {
        return { status: 'closed', epoch: current.epoch + 1, consecutive_failures: 0 };
      }
      return { ...current, successes, probes_in_flight: Math.max(0, current.probes_in_flight - 1) };
    }
    default:
      return exhaustive(current);
  }
}

/** What `/api/v1/status` and the metrics show at `now`. */
export function breakerStatus(state: BreakerState, now: number): BreakerStatus {
  return advance(state, now).status;
}

export type OnUnavailable = 'defer' | 'deny';

/** What to do with a job given the breaker's admission: call the kernel, defer it, or deny it. */
export function kernelGate(admission: Admission, onUnavailable: OnUnavailable): 'call' | OnUnavailable {
  return admission.admitted ? 'call' : onUnavailable;
}

function exhaustive(value: never): never {
  throw new Error(`unexpected breaker state ${JSON.stringify(value)}`);
}
