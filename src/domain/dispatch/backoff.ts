/**
 * Backoff after a refused hand-off or "no responders" (SPEC 1.6: `JobDispatchFailed` with a retry
 * time, capped exponential; config key `dispatch`). Not an attempt, so it has its own small numbers.
 */

export interface DispatchBackoffSettings {
  readonly backoff_base_ms: number;
  readonly backoff_cap_ms: number;
}

export const DEFAULT_DISPATCH_BACKOFF: DispatchBackoffSettings = { backoff_base_ms: 500, backoff_cap_ms: 30_000 };

/**
 * Delay before the next try after `failures` consecutive dispatch failures (≥ 1):
 * `min(cap, base · 2^(failures-1))`, then "equal jitter": a value in [delay/2, delay] chosen by
 * `random` ∈ [0, 1), so jobs refused together do not all come back at the same instant, and the
 * delay never drops below half the backoff.
 */
export function dispatchBackoffMs(failures: number, settings: DispatchBackoffSettings, random: number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 52));
  const delay = Math.min(settings.backoff_cap_ms, settings.backoff_base_ms * 2 ** exponent);
  const unit = Math.min(1, Math.max(0, random));
  return Math.round(delay / 2 + (delay / 2) * unit);
}
