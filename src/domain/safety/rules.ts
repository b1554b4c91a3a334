/**
 * The built-in policy's rules (SPEC 1.4; config key `safety.rules`). Topic fields are globs
 * (`topic-glob.ts`). A tenant's entry overrides the global rules field by field: a field it sets
 * replaces the global value whole (as the config merge does with top-level keys), a field it omits
 * inherits. So a tenant can be given a stricter deny list, or its own, looser one.
 */
import type { SafetyConstraints } from '../job/events.ts';

export interface ThrottleRule {
  /** Names the rule in decisions and in the rates the caller measures. */
  readonly id: string;
  readonly topics: readonly string[];
  /**
   * Null: the rule always throttles matching jobs (a hold). Otherwise the rule throttles once the
   * caller-measured rate of jobs already admitted reaches this many per second.
   */
  readonly max_per_second: number | null;
  /** Whose rate counts: this tenant's jobs on the matching topics, or everyone's. */
  readonly per: 'tenant' | 'all';
  /** When to check again. */
  readonly retry_after_ms: number;
}

export interface SafetyRuleSet {
  /** Empty = every topic allowed (unless denied). */
  readonly allow_topics: readonly string[];
  readonly deny_topics: readonly string[];
  readonly deny_risk_tags: readonly string[];
  readonly approval_risk_tags: readonly string[];
  readonly throttles: readonly ThrottleRule[];
  readonly constraints: SafetyConstraints;
}

export interface SafetyRules extends SafetyRuleSet {
  readonly tenants: Readonly<Record<string, Partial<SafetyRuleSet>>>;
}

export const DEFAULT_THROTTLE_RETRY_AFTER_MS = 1_000;

export const DEFAULT_SAFETY_RULES: SafetyRules = {
  allow_topics: [],
  deny_topics: [],
  deny_risk_tags: [],
  approval_risk_tags: [],
  throttles: [],
  constraints: {},
  tenants: {},
};

/** The rules one tenant's jobs are checked against. */
export function rulesForTenant(rules: SafetyRules, tenant: string): SafetyRuleSet {
  const own = Object.hasOwn(rules.tenants, tenant) ? rules.tenants[tenant] : undefined;
  return {
    allow_topics: own?.allow_topics ?? rules.allow_topics,
    deny_topics: own?.deny_topics ?? rules.deny_topics,
    deny_risk_tags: own?.deny_risk_tags ?? rules.deny_risk_tags,
    approval_risk_tags: own?.approval_risk_tags ?? rules.approval_risk_tags,
    throttles: own?.throttles ?? rules.throttles,
    constraints: own?.constraints ?? rules.constraints,
  };
}
