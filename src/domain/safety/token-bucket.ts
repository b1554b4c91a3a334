/**
 * A token bucket as a pure value: how fast the deferred queue drains once the breaker closes
 * (SPEC 1.4: "the queue drains at a bounded rate"), so a kernel that just recovered is not hit by
 * the whole backlog at once and the backlog's release appends no storm of events. Tokens refill
 * continuously at `per_second` up to `burst`; one token releases one deferred job.
 */

export interface TokenBucketSettings {
  readonly per_second: number;
  readonly burst: number;
}

export const DEFAULT_DRAIN: TokenBucketSettings = { per_second: 20, burst: 20 };

export interface TokenBucket {
  /** May be fractional: partial refill is kept. */
  readonly tokens: number;
  readonly updated_at: number;
}

/** A bucket that may release `burst` jobs at once (the breaker just closed). */
export function fullBucket(now: number, settings: TokenBucketSettings): TokenBucket {
  return { tokens: settings.burst, updated_at: now };
}

/** The bucket at `now`. A clock that steps back refills nothing and keeps the later time. */
export function refill(bucket: TokenBucket, now: number, settings: TokenBucketSettings): TokenBucket {
  const elapsed = Math.max(0, now - bucket.updated_at);
  const tokens = Math.min(settings.burst, bucket.tokens + (elapsed * settings.per_second) / 1000);
  return { tokens, updated_at: Math.max(bucket.updated_at, now) };
}

/** Takes up to `wanted` whole tokens; `granted` is how many jobs may be released now. */
export function takeTokens(
  bucket: TokenBucket,
  now: number,
  settings: TokenBucketSettings,
  wanted: number,
): { readonly granted: number; readonly bucket: TokenBucket } {
  const current = refill(bucket, now, settings);
  const granted = Math.max(0, Math.min(Math.floor(wanted), Math.floor(current.tokens)));
  return { granted, bucket: { ...current, tokens: current.tokens - granted } };
}

/** The earliest time at which one whole token is available (a wake-up time for the drainer). */
export function nextTokenAt(bucket: TokenBucket, now: number, settings: TokenBucketSettings): number {
  const current = refill(bucket, now, settings);
  if (current.tokens >= 1) return current.updated_at;
  return current.updated_at + Math.ceil(((1 - current.tokens) * 1000) / settings.per_second);
}
