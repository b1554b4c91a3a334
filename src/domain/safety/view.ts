/**
 * What a safety kernel sees of a job (SPEC 1.4), the same JSON for the built-in policy and the remote
 * kernel, and the request hash an approval is bound to.
 */

import type { JobRequest, Priority } from '../job/request.ts';
import { canonicalJson } from '../shared/canonical-json.ts';

/** An effective config's `data`. */
type ConfigData = Readonly<Record<string, unknown>>;

export interface SafetyView {
  readonly job_id: string;
  readonly topic: string;
  readonly tenant: string;
  readonly team: string | null;
  readonly principal: string | null;
  readonly priority: Priority;
  readonly labels: Readonly<Record<string, string>>;
  readonly requires: readonly string[];
  readonly risk_tags: readonly string[];
  /** The job's overall budget (counted from `run_at` if set, else from submission). */
  readonly deadline_ms: number | null;
  readonly effective_config: ConfigData;
}

export function safetyViewOf(request: JobRequest, effectiveConfig: ConfigData): SafetyView {
  return {
    job_id: request.job_id,
    topic: request.topic,
    tenant: request.tenant,
    team: request.team,
    principal: request.principal,
    priority: request.priority,
    labels: request.labels,
    requires: request.requires,
    risk_tags: request.risk_tags,
    deadline_ms: request.deadline_ms,
    effective_config: effectiveConfig,
  };
}

/**
 * The text an approval's `request_hash` is taken over: the canonical JSON of the view without the
 * effective config. The config is left out on purpose: a config change that does not touch the
 * safety rules (a timeout, say) must not void a waiting approval, and one that does changes the
 * `policy_version`, which is checked separately. The job id is in, so a hash never fits another job.
 */
export function requestHashInput(view: SafetyView | JobRequest): string {
  const { effective_config: _config, ...rest } = 'effective_config' in view ? view : safetyViewOf(view, {});
  return canonicalJson(rest);
}

export function requestHash(view: SafetyView | JobRequest, hash: (text: string) => string): string {
  return hash(requestHashInput(view));
}
