import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobRequest } from '../../../../src/domain/job/request.ts';
import { evaluateBuiltinPolicy, policyVersionOf } from '../../../../src/domain/safety/builtin-policy.ts';
import { DEFAULT_SAFETY_RULES, rulesForTenant, type SafetyRules } from '../../../../src/domain/safety/rules.ts';
import { requestHash, requestHashInput, safetyViewOf } from '../../../../src/domain/safety/view.ts';
import { jobRequest } from './request.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const context = { policy_version: 'v1', rates: {} };

function rules(overrides: Partial<SafetyRules>): SafetyRules {
  return { ...DEFAULT_SAFETY_RULES, ...overrides };
}

function decide(ruleSet: SafetyRules, request: Partial<JobRequest> = {}, rates: Record<string, number> = {}) {
  return evaluateBuiltinPolicy(safetyViewOf(jobRequest(request), {}), ruleSet, { ...context, rates });
}

describe('built-in policy', () => {
  it('allows by default, recording source and policy version', () => {
    expect(decide(DEFAULT_SAFETY_RULES)).toEqual({
      decision: 'ALLOW',
      reason: null,
      source: 'builtin',
      policy_version: 'v1',
      constraints: null,
      retry_after_ms: null,
    });
  });

  it('denies a topic matching deny_topics', () => {
    const decision = decide(rules({ deny_topics: ['job.danger.>'] }), { topic: 'job.danger.rm' });
    expect(decision.decision).toBe('DENY');
    expect(decision.reason).toContain('job.danger.>');
  });

  it('denies a topic outside a non-empty allow list, allows one inside', () => {
    const allowOnly = rules({ allow_topics: ['job.safe.*'] });
    expect(decide(allowOnly, { topic: 'job.other' }).decision).toBe('DENY');
    expect(decide(allowOnly, { topic: 'job.safe.x' }).decision).toBe('ALLOW');
  });

  it('lets deny win over allow', () => {
    const both = rules({ allow_topics: ['job.>'], deny_topics: ['job.x'] });
    expect(decide(both, { topic: 'job.x' }).decision).toBe('DENY');
  });

  it('denies on a denied risk tag', () => {
    expect(decide(rules({ deny_risk_tags: ['pii-export'] }), { risk_tags: ['pii-export'] }).decision).toBe('DENY');
  });

  it('requires approval for an approval risk tag, carrying the constraints', () => {
    const decision = decide(rules({ approval_risk_tags: ['prod-write'], constraints: { max_retries: 0 } }), {
      risk_tags: ['read', 'prod-write'],
    });
    expect(decision.decision).toBe('REQUIRE_APPROVAL');
    expect(decision.reason).toContain('prod-write');
    expect(decision.constraints).toEqual({ max_retries: 0 });
  });

  it('puts deny before approval', () => {
    const both = rules({ deny_risk_tags: ['x'], approval_risk_tags: ['y'] });
    expect(decide(both, { risk_tags: ['y', 'x'] }).decision).toBe('DENY');
  });

  it('throttles on a hold rule with its retry time', () => {
    const hold = rules({
      throttles: [{ id: 'freeze', topics: ['job.video.*'], max_per_second: null, per: 'all', retry_after_ms: 5000 }],
    });
    const decision = decide(hold, { topic: 'job.video.hd' });
    expect(decision).toMatchObject({ decision: 'THROTTLE', retry_after_ms: 5000, reason: 'throttled: freeze' });
    expect(decide(hold, { topic: 'job.audio.hd' }).decision).toBe('ALLOW');
  });

  it('throttles on a rate rule once the measured rate reaches the limit', () => {
    const limited = rules({
      throttles: [{ id: 'burst', topics: ['job.>'], max_per_second: 10, per: 'tenant', retry_after_ms: 1000 }],
    });
    expect(decide(limited, {}, {}).decision).toBe('ALLOW');
    expect(decide(limited, {}, { burst: 9.5 }).decision).toBe('ALLOW');
    expect(decide(limited, {}, { burst: 10 }).decision).toBe('THROTTLE');
    expect(decide(limited, {}, { other: 100 }).decision).toBe('ALLOW');
  });

  it('asks for approval before throttling', () => {
    const both = rules({
      approval_risk_tags: ['a'],
      throttles: [{ id: 'h', topics: ['job.>'], max_per_second: null, per: 'all', retry_after_ms: 1 }],
    });
    expect(decide(both, { risk_tags: ['a'] }).decision).toBe('REQUIRE_APPROVAL');
  });

  it('allows with constraints when constraints are configured', () => {
    const decision = decide(rules({ constraints: { max_runtime_ms: 1000, max_concurrent_jobs: 2 } }));
    expect(decision.decision).toBe('ALLOW_WITH_CONSTRAINTS');
    expect(decision.constraints).toEqual({ max_runtime_ms: 1000, max_concurrent_jobs: 2 });
  });

  it.each([{ max_runtime_ms: 1000 }, { max_retries: 0 }, { max_concurrent_jobs: 2 }])(
    'allows with constraints when only %j is configured',
    (constraints) => {
      expect(decide(rules({ constraints }))).toMatchObject({
        decision: 'ALLOW_WITH_CONSTRAINTS',
        reason: 'constraints',
        constraints,
      });
    },
  );

  it('says why it denied or asked, naming every matching tag', () => {
    expect(decide(rules({ deny_topics: ['job.danger.>'] }), { topic: 'job.danger.rm' }).reason).toBe(
      'topic_denied: job.danger.rm matches deny_topics "job.danger.>"',
    );
    expect(decide(rules({ allow_topics: ['job.safe.*'] }), { topic: 'job.other' }).reason).toBe(
      'topic_not_allowed: job.other matches no allow_topics glob',
    );
    expect(decide(rules({ deny_risk_tags: ['a', 'b'] }), { risk_tags: ['b', 'c', 'a'] }).reason).toBe(
      'risk_denied: b, a',
    );
    expect(decide(rules({ approval_risk_tags: ['x', 'y'] }), { risk_tags: ['y', 'x'] }).reason).toBe(
      'approval_required: y, x',
    );
  });

  it('applies a tenant override field by field', () => {
    const ruleSet = rules({
      deny_topics: ['job.x'],
      approval_risk_tags: ['r'],
      tenants: { trusted: { deny_topics: [] }, strict: { deny_topics: ['job.>'] } },
    });
    expect(decide(ruleSet, { tenant: 'trusted', topic: 'job.x' }).decision).toBe('ALLOW');
    // the override replaced deny_topics only: approval tags still come from the global rules
    expect(decide(ruleSet, { tenant: 'trusted', risk_tags: ['r'] }).decision).toBe('REQUIRE_APPROVAL');
    expect(decide(ruleSet, { tenant: 'strict', topic: 'job.default' }).decision).toBe('DENY');
    expect(decide(ruleSet, { tenant: 'other', topic: 'job.x' }).decision).toBe('DENY');
    expect(rulesForTenant(ruleSet, 'trusted').approval_risk_tags).toEqual(['r']);
  });

  it('property: a decision is DENY whenever the topic matches a deny glob, whatever else is set', () => {
    const tags = fc.subarray(['a', 'b', 'c']);
    fc.assert(
      fc.property(tags, tags, tags, fc.constantFrom('job.x', 'job.x.y', 'job.z'), (deny, approval, risk, topic) => {
        const decision = decide(
          rules({ deny_topics: ['job.x.>', 'job.x'], deny_risk_tags: deny, approval_risk_tags: approval }),
          {
            topic,
            risk_tags: risk,
          },
        );
        if (topic.startsWith('job.x')) expect(decision.decision).toBe('DENY');
        else if (risk.some((tag) => deny.includes(tag))) expect(decision.decision).toBe('DENY');
        else if (risk.some((tag) => approval.includes(tag))) expect(decision.decision).toBe('REQUIRE_APPROVAL');
        else expect(decision.decision).toBe('ALLOW');
      }),
    );
  });
});

describe('policy version', () => {
  it('is the hash of the canonical JSON of the rules, independent of key order', () => {
    const a = rules({ deny_topics: ['job.x'], constraints: { max_retries: 1, max_runtime_ms: 5 } });
    const b: SafetyRules = {
      tenants: {},
      constraints: { max_runtime_ms: 5, max_retries: 1 },
      throttles: [],
      approval_risk_tags: [],
      deny_risk_tags: [],
      deny_topics: ['job.x'],
      allow_topics: [],
    };
    expect(policyVersionOf(a, sha256)).toBe(policyVersionOf(b, sha256));
    expect(policyVersionOf(a, sha256)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a rule changes', () => {
    expect(policyVersionOf(rules({ deny_topics: ['job.x'] }), sha256)).not.toBe(
      policyVersionOf(rules({ deny_topics: ['job.y'] }), sha256),
    );
  });
});

describe('request hash', () => {
  it('covers the safety-relevant fields and not the effective config', () => {
    const request = jobRequest({ risk_tags: ['a'] });
    const withConfig = safetyViewOf(request, { timeouts: { running_ms: 1 } });
    expect(requestHash(withConfig, sha256)).toBe(requestHash(request, sha256));
    expect(JSON.parse(requestHashInput(request))).toEqual({
      job_id: 'j1',
      topic: 'job.default',
      tenant: 'acme',
      team: null,
      principal: 'alice',
      priority: 'batch',
      labels: {},
      requires: [],
      risk_tags: ['a'],
      deadline_ms: null,
    });
  });

  it('changes when a field the approver saw changes, not when the payload does', () => {
    const base = requestHash(jobRequest(), sha256);
    expect(requestHash(jobRequest({ risk_tags: ['x'] }), sha256)).not.toBe(base);
    expect(requestHash(jobRequest({ principal: 'mallory' }), sha256)).not.toBe(base);
    expect(requestHash(jobRequest({ job_id: 'j2' }), sha256)).not.toBe(base);
    expect(requestHash(jobRequest({ payload: { other: true } }), sha256)).toBe(base);
  });

  it('property: does not depend on the order of labels', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.string()), (labels) => {
        const reversed = Object.fromEntries(Object.entries(labels).reverse());
        expect(requestHashInput(jobRequest({ labels: reversed }))).toBe(requestHashInput(jobRequest({ labels })));
      }),
    );
  });
});
