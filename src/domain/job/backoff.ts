/**
 * Capped exponential backoff with jitter (SPEC 1.6, 1.8), a pure policy: the random draw comes in.
 */
import type { RetryPolicy } from './request.ts';

export type Backoff = Pick<RetryPolicy, 'initial_backoff_ms' | 'max_backoff_ms' | 'multiplier' | 'jitter'>;

/** Hand-off retries (refused, no responders) when config names none. */
export const DEFAULT_DISPATCH_BACKOFF: Backoff = {
  initial_backoff_ms: 500,
  max_backoff_ms: 30_000,
  multiplier: 2,
  jitter: 0.2,
};

/**
 * The delay before retry `n` (n ≥ 1): `initial × multiplier^(n−1)`, capped at `max`, then reduced by up
 * to `jitter` of itself according to `draw` (a uniform number in [0, 1) supplied by the caller). Never
 * negative, never NaN, whatever the inputs: a huge `n` saturates at the cap instead of overflowing.
 */
export function backoffDelay(policy: Backoff, n: number, draw: number): number {
  if (!(policy.initial_backoff_ms > 0)) return 0;
  // Not Math.max(0, max): that is NaN for a NaN max, and the delay would be NaN too.
  const cap = policy.max_backoff_ms > 0 ? policy.max_backoff_ms : 0;
  const growth = Math.max(1, policy.multiplier) ** Math.max(0, n - 1);
  const raw = policy.initial_backoff_ms * growth;
  const capped = Number.isFinite(raw) ? Math.min(raw, cap) : cap;
  const spread = unit(policy.jitter) * unit(draw);
  return Math.max(0, Math.round(capped * (1 - spread)));
}

/** Clamps to [0, 1]; NaN counts as 0. */
function unit(value: number): number {
  if (!(value > 0)) return 0;
  return Math.min(1, value);
}
