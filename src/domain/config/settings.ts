/**
 * The typed settings view over an effective config: what the runtime reads (routing, timeouts, retry
 * defaults, safety, tenant limits, dispatch backoff, idempotency TTL), with its defaults. Read and
 * validated by `readSettings` (read-settings.ts).
 *
 * Every known top-level key is read on its own, and the config merge replaces top-level keys whole,
 * so a document valid on its own can never make an effective config invalid; and a level that sets
 * `timeouts` replaces every timeout field, the ones it omits taking the built-in defaults below (not
 * an earlier level's). A top-level `null` reads as the section's defaults. Unknown keys inside a known
 * section are errors (a typo must not silently fall back to a default); other top-level keys are the
 * user's own and pass through to jobs untouched.
 */
import { DEFAULT_DISPATCH_BACKOFF, type DispatchBackoffSettings } from '../dispatch/backoff.ts';
import { DEFAULT_ROUTING, type RoutingSettings } from '../dispatch/routing.ts';
import { DEFAULT_TENANT_LIMITS, type TenantLimits } from '../dispatch/tenant-limit.ts';
import type { RetryPolicy } from '../job/request.ts';
import { type BreakerSettings, DEFAULT_BREAKER, type OnUnavailable } from '../safety/breaker.ts';
import { DEFAULT_SAFETY_RULES, type SafetyRules } from '../safety/rules.ts';
import { DEFAULT_DRAIN, type TokenBucketSettings } from '../safety/token-bucket.ts';

export interface TopicTimeouts {
  readonly dispatch_ms?: number;
  readonly running_ms?: number;
}

export interface TimeoutSettings {
  readonly dispatch_ms: number;
  readonly running_ms: number;
  /** Per exact topic. */
  readonly topics: Readonly<Record<string, TopicTimeouts>>;
}

export interface RemoteKernelSettings {
  /** Null: the built-in policy decides. Set: the remote kernel does, behind the breaker. */
  readonly url: string | null;
  readonly timeout_ms: number;
}

export interface SafetySettings {
  readonly rules: SafetyRules;
  readonly on_unavailable: OnUnavailable;
  readonly breaker: BreakerSettings;
  readonly drain: TokenBucketSettings;
  readonly approval_ttl_ms: number;
  readonly remote: RemoteKernelSettings;
}

export interface Settings {
  readonly routing: RoutingSettings;
  readonly timeouts: TimeoutSettings;
  readonly retry: RetryPolicy;
  readonly safety: SafetySettings;
  readonly limits: TenantLimits;
  readonly dispatch: DispatchBackoffSettings;
  readonly idempotency_ttl_ms: number;
}

export const DEFAULT_TIMEOUTS: TimeoutSettings = { dispatch_ms: 60_000, running_ms: 900_000, topics: {} };

export const DEFAULT_RETRY: RetryPolicy = {
  max_attempts: 1,
  initial_backoff_ms: 1_000,
  max_backoff_ms: 60_000,
  multiplier: 2,
  jitter: 0,
};

export const DEFAULT_SAFETY: SafetySettings = {
  rules: DEFAULT_SAFETY_RULES,
  on_unavailable: 'defer',
  breaker: DEFAULT_BREAKER,
  drain: DEFAULT_DRAIN,
  approval_ttl_ms: 7 * 24 * 60 * 60 * 1000,
  remote: { url: null, timeout_ms: 2_000 },
};

export const DEFAULT_SETTINGS: Settings = {
  routing: DEFAULT_ROUTING,
  timeouts: DEFAULT_TIMEOUTS,
  retry: DEFAULT_RETRY,
  safety: DEFAULT_SAFETY,
  limits: DEFAULT_TENANT_LIMITS,
  dispatch: DEFAULT_DISPATCH_BACKOFF,
  idempotency_ttl_ms: 24 * 60 * 60 * 1000,
};

/** The top-level keys this view reads; everything else in a config is left to the user. */
export const SETTINGS_KEYS: readonly (keyof Settings)[] = [
  'routing',
  'timeouts',
  'retry',
  'safety',
  'limits',
  'dispatch',
  'idempotency_ttl_ms',
];

/** The attempt timeouts for a topic: its overrides, else the general values. */
export function timeoutsForTopic(
  timeouts: TimeoutSettings,
  topic: string,
): { dispatch_ms: number; running_ms: number } {
  const own = Object.hasOwn(timeouts.topics, topic) ? timeouts.topics[topic] : undefined;
  return {
    dispatch_ms: own?.dispatch_ms ?? timeouts.dispatch_ms,
    running_ms: own?.running_ms ?? timeouts.running_ms,
  };
}
