/**
 * The built-in safety kernel (SPEC 1.4): rules from config, checked in this order, first hit wins —
 *   1. `deny_topics` matches the topic                       → DENY
 *   2. `allow_topics` is not empty and none matches          → DENY
 *   3. a risk tag is in `deny_risk_tags`                     → DENY
 *   4. a risk tag is in `approval_risk_tags`                 → REQUIRE_APPROVAL (with the constraints,
 *      so the job later runs under them: an approved job is not checked again)
 *   5. the first throttle rule whose topics match and which is a hold (`max_per_second: null`) or
 *      whose measured rate has reached its limit             → THROTTLE, `retry_after_ms` from the rule
 *   6. constraints configured                                → ALLOW_WITH_CONSTRAINTS, else ALLOW.
 * Approval comes before throttling: a human gate already paces the job, and asking for approval
 * late (after a throttle) would only delay the question.
 *
 * Rates are measured by the caller (e.g. admissions in the last second per rule, for this tenant or
 * for everyone as the rule's `per` says) and passed in, so the decision stays a pure function.
 */
import type { SafetyConstraints, SafetyDecision } from '../job/events.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import { rulesForTenant, type SafetyRules, type ThrottleRule } from './rules.ts';
import { firstMatchingGlob } from './topic-glob.ts';
import type { SafetyView } from './view.ts';

export interface BuiltinPolicyContext {
  /** `policyVersionOf(rules, sha256)`, computed once per rules change by the caller. */
  readonly policy_version: string;
  /** Admissions per second by throttle rule id, as the rule's `per` says; absent = 0. */
  readonly rates: Readonly<Record<string, number>>;
}

export function evaluateBuiltinPolicy(
  view: SafetyView,
  rules: SafetyRules,
  context: BuiltinPolicyContext,
): SafetyDecision {
  const own = rulesForTenant(rules, view.tenant);
  const decide = (
    decision: SafetyDecision['decision'],
    reason: string | null,
    extra: { constraints?: SafetyConstraints | null; retry_after_ms?: number | null } = {},
  ): SafetyDecision => ({
    decision,
    reason,
    source: 'builtin',
    policy_version: context.policy_version,
    constraints: extra.constraints ?? null,
    retry_after_ms: extra.retry_after_ms ?? null,
  });

  const denied = firstMatchingGlob(own.deny_topics, view.topic);
  if (denied !== null) return decide('DENY', `topic_denied: ${view.topic} matches deny_topics "${denied}"`);
  if (own.allow_topics.length > 0 && firstMatchingGlob(own.allow_topics, view.topic) === null) {
    return decide('DENY', `topic_not_allowed: ${view.topic} matches no allow_topics glob`);
  }
  const deniedTags = view.risk_tags.filter((tag) => own.deny_risk_tags.includes(tag));
  if (deniedTags.length > 0) return decide('DENY', `risk_denied: ${deniedTags.join(', ')}`);

  const constraints = hasConstraints(own.constraints) ? own.constraints : null;
  const approvalTags = view.risk_tags.filter((tag) => own.approval_risk_tags.includes(tag));
  if (approvalTags.length > 0) {
    return decide('REQUIRE_APPROVAL', `approval_required: ${approvalTags.join(', ')}`, { constraints });
  }
  const throttle = own.throttles.find((rule) => throttles(rule, view.topic, context.rates));
  if (throttle !== undefined) {
    return decide('THROTTLE', `throttled: ${throttle.id}`, { retry_after_ms: throttle.retry_after_ms });
  }
  return constraints === null
    ? decide('ALLOW', null)
    : decide('ALLOW_WITH_CONSTRAINTS', 'constraints', { constraints });
}

function throttles(rule: ThrottleRule, topic: string, rates: Readonly<Record<string, number>>): boolean {
  if (firstMatchingGlob(rule.topics, topic) === null) return false;
  if (rule.max_per_second === null) return true;
  const rate = Object.hasOwn(rates, rule.id) ? (rates[rule.id] ?? 0) : 0;
  return rate >= rule.max_per_second;
}

function hasConstraints(constraints: SafetyConstraints): boolean {
  return (
    constraints.max_runtime_ms !== undefined ||
    constraints.max_retries !== undefined ||
    constraints.max_concurrent_jobs !== undefined
  );
}

/**
 * The `policy_version` of built-in decisions: the hash of the canonical JSON of the parsed safety
 * rules only (not the rest of the config), so an approval survives unrelated config changes and two
 * configs that read to the same rules (a default written out, keys reordered) share a version.
 */
export function policyVersionOf(rules: SafetyRules, hash: (text: string) => string): string {
  return hash(canonicalJson(rules));
}
