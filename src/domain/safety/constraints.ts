/**
 * Applying an ALLOW_WITH_CONSTRAINTS decision (SPEC 1.4): the stricter of constraint and config wins.
 * `max_concurrent_jobs` is a tenant limit: see `dispatch/tenant-limit.ts` `tenantLimit`.
 */
import type { AttemptLimits, SafetyConstraints } from '../job/events.ts';

export function constrainAttemptLimits(limits: AttemptLimits, constraints: SafetyConstraints | null): AttemptLimits {
  if (constraints === null) return limits;
  return {
    dispatch_ms: limits.dispatch_ms,
    running_ms:
      constraints.max_runtime_ms === undefined
        ? limits.running_ms
        : Math.min(limits.running_ms, constraints.max_runtime_ms),
    // `max_retries` counts retries; attempts are one more.
    max_attempts:
      constraints.max_retries === undefined
        ? limits.max_attempts
        : Math.min(limits.max_attempts, constraints.max_retries + 1),
  };
}
