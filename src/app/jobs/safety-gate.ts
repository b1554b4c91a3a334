/**
 * The safety gate (SPEC 1.4): every job is checked once before its first dispatch, by the built-in
 * policy from config or, when `safety.remote.url` is set, by the remote kernel behind the circuit
 * breaker from the domain. While the breaker is not closed, jobs are deferred (or denied, per
 * `safety.on_unavailable`) without calling the kernel; listeners hear when it closes again, so the
 * deferred queue can drain at a bounded rate, and when a probe may be sent (the open period is over,
 * or a half-open probe succeeded without closing it yet): nothing else would call the kernel while
 * every job waits in the deferred queue.
 *
 * Throttle rates are measured here, per process: admissions of the last second per throttle rule (and
 * tenant, when the rule is per tenant). With several scheduler processes the limit holds per process.
 */
import { firstMatchingGlob } from '../../domain/safety/topic-glob.ts';
import type { BreakerState, BreakerStatus } from '../../domain/safety/breaker.ts';
import { admit, breaker, breakerStatus, INITIAL_BREAKER } from '../../domain/safety/breaker.ts';
import { evaluateBuiltinPolicy, policyVersionOf } from '../../domain/safety/builtin-policy.ts';
import type { SafetyRules } from '../../domain/safety/rules.ts';
import { rulesForTenant } from '../../domain/safety/rules.ts';
import { requestHash, safetyViewOf } from '../../domain/safety/view.ts';
import type { SafetyInput } from '../../domain/job/commands.ts';
import type { JobRequest } from '../../domain/job/request.ts';
import type { ResolvedConfig } from '../config/job-config.ts';
import { jobLogFields } from '../log-fields.ts';
import type { Clock, Hasher, Logger, RemoteKernel } from '../ports.ts';

export interface SafetyGateDeps {
  readonly remote: RemoteKernel;
  readonly clock: Clock;
  readonly hasher: Hasher;
  readonly log: Logger;
}

export class SafetyGate {
  readonly #deps: SafetyGateDeps;
  #breaker: BreakerState = INITIAL_BREAKER;
  readonly #versions = new WeakMap<SafetyRules, string>();
  readonly #admissions = new Map<string, number[]>();
  readonly #closedListeners = new Set<() => void>();
  readonly #probeListeners = new Set<(probes: number) => void>();
  #probeTimer: ReturnType<typeof setTimeout> | null = null;
  /** A kernel call failed and none has succeeded since (jobs may wait in the deferred queue). */
  #failedSinceSuccess = false;

  constructor(deps: SafetyGateDeps) {
    this.#deps = deps;
  }

  /** The kernel's answer for a job not yet decided, or why it was not asked. */
  async check(request: JobRequest, config: ResolvedConfig): Promise<SafetyInput> {
    const safety = config.settings.safety;
    const view = safetyViewOf(request, config.effective.data);
    const now = this.#deps.clock.now();
    if (safety.remote.url === null) {
      const decision = evaluateBuiltinPolicy(view, safety.rules, {
        policy_version: this.policyVersion(config),
        rates: this.#rates(safety.rules, request, now),
      });
      if (decision.decision === 'ALLOW' || decision.decision === 'ALLOW_WITH_CONSTRAINTS') {
        this.#countAdmission(safety.rules, request, now);
      }
      return { kind: 'decided', decision };
    }
    const before = breakerStatus(this.#breaker, now);
    const admission = admit(this.#breaker, now, safety.breaker);
    this.#breaker = admission.state;
    if (!admission.admitted) {
      return {
        kind: 'unavailable',
        on_unavailable: safety.on_unavailable,
        reason: `safety kernel unavailable (breaker ${breakerStatus(this.#breaker, now)})`,
      };
    }
    try {
      const decision = await this.#deps.remote.evaluate(safety.remote.url, view, safety.remote.timeout_ms);
      this.#record('success', admission.ticket, safety.breaker, before);
      return { kind: 'decided', decision };
    } catch (error) {
      this.#deps.log.warn({ ...jobLogFields(request), err: error }, 'safety kernel call failed');
      this.#record('failure', admission.ticket, safety.breaker, before);
      return { kind: 'unavailable', on_unavailable: safety.on_unavailable, reason: 'safety kernel call failed' };
    }
  }

  /** The version approvals are bound to: the built-in rules' hash (the remote kernel names its own). */
  policyVersion(config: ResolvedConfig): string {
    const rules = config.settings.safety.rules;
    let version = this.#versions.get(rules);
    if (version === undefined) {
      version = policyVersionOf(rules, (text) => this.#deps.hasher.sha256(text));
      this.#versions.set(rules, version);
    }
    return version;
  }

  requestHash(request: JobRequest): string {
    return requestHash(request, (text) => this.#deps.hasher.sha256(text));
  }

  status(): BreakerStatus {
    return breakerStatus(this.#breaker, this.#deps.clock.now());
  }

  /** Called whenever the breaker closes after having been open, or the kernel answers after a failure. */
  onClosed(listener: () => void): () => void {
    this.#closedListeners.add(listener);
    return () => this.#closedListeners.delete(listener);
  }

  /** Called when the breaker may admit `probes` calls again without having closed. */
  onProbeDue(listener: (probes: number) => void): () => void {
    this.#probeListeners.add(listener);
    return () => this.#probeListeners.delete(listener);
  }

  #probeDue(probes: number): void {
    for (const listener of this.#probeListeners) listener(probes);
  }

  #record(
    type: 'success' | 'failure',
    ticket: Parameters<typeof breaker>[1]['ticket'],
    settings: Parameters<typeof breaker>[3],
    before: BreakerStatus,
  ): void {
    const now = this.#deps.clock.now();
    this.#breaker = breaker(this.#breaker, { type, ticket }, now, settings);
    const after = breakerStatus(this.#breaker, now);
    if (after !== before) this.#deps.log.warn({ from: before, to: after }, 'safety kernel breaker changed state');
    // A failure below the threshold defers its job too, with the breaker still closed: the kernel
    // answering again must wake such jobs as a closing breaker does, or they wait for the 5-minute
    // re-check.
    const answeredAgain = type === 'success' && this.#failedSinceSuccess;
    this.#failedSinceSuccess = type === 'failure';
    if (after === 'closed' && (before !== 'closed' || answeredAgain)) {
      for (const listener of this.#closedListeners) listener();
    }
    const state = this.#breaker;
    if (state.status === 'closed' && type === 'failure') {
      // Nothing may call the kernel again soon (no new jobs): a probe after the open period finds out
      // whether it is back, and its success wakes the jobs deferred meanwhile.
      this.#armProbe(now + settings.open_ms, now, 1);
    } else if (state.status === 'open') {
      this.#armProbe(state.until, now, settings.half_open_max_probes);
    } else if (state.status === 'half_open' && type === 'success') {
      this.#probeDue(1);
    }
  }

  #armProbe(at: number, now: number, probes: number): void {
    if (this.#probeTimer !== null) clearTimeout(this.#probeTimer);
    this.#probeTimer = setTimeout(
      () => {
        this.#probeTimer = null;
        this.#probeDue(probes);
      },
      Math.max(0, at - now),
    );
    this.#probeTimer.unref();
  }

  #rates(rules: SafetyRules, request: JobRequest, now: number): Record<string, number> {
    const rates: Record<string, number> = {};
    for (const rule of rulesForTenant(rules, request.tenant).throttles) {
      if (rule.max_per_second === null || firstMatchingGlob(rule.topics, request.topic) === null) continue;
      rates[rule.id] = this.#window(rateKey(rule.id, rule.per, request.tenant), now).length;
    }
    return rates;
  }

  #countAdmission(rules: SafetyRules, request: JobRequest, now: number): void {
    for (const rule of rulesForTenant(rules, request.tenant).throttles) {
      if (rule.max_per_second === null || firstMatchingGlob(rule.topics, request.topic) === null) continue;
      this.#window(rateKey(rule.id, rule.per, request.tenant), now).push(now);
    }
  }

  /** Admissions of the last second under `key`, oldest first (older ones dropped). */
  #window(key: string, now: number): number[] {
    let times = this.#admissions.get(key);
    if (times === undefined) {
      times = [];
      this.#admissions.set(key, times);
    }
    let drop = 0;
    while (drop < times.length && (times[drop] as number) <= now - 1000) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}

function rateKey(ruleId: string, per: 'tenant' | 'all', tenant: string): string {
  return per === 'tenant' ? `${ruleId}\u0000${tenant}` : ruleId;
}
