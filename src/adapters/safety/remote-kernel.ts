/**
 * The remote safety kernel over HTTP (SPEC 1.4): `POST <url>` with the job's view (including its
 * effective config as `effective_config`), answered with a decision. Any transport failure, timeout,
 * non-2xx answer or malformed decision is a failure the breaker counts.
 */
import type { RemoteKernel } from '../../app/ports.ts';
import type { SafetyDecision, SafetyVerdict } from '../../domain/job/events.ts';
import type { SafetyView } from '../../domain/safety/view.ts';

const VERDICTS: readonly SafetyVerdict[] = ['ALLOW', 'ALLOW_WITH_CONSTRAINTS', 'DENY', 'REQUIRE_APPROVAL', 'THROTTLE'];

export class HttpRemoteKernel implements RemoteKernel {
  async evaluate(url: string, view: SafetyView, timeoutMs: number): Promise<SafetyDecision> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(view),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`safety kernel answered ${response.status}`);
    return parseDecision(await response.json());
  }
}

function parseDecision(body: unknown): SafetyDecision {
  if (typeof body !== 'object' || body === null) throw new Error('safety kernel answered no object');
  const b = body as Record<string, unknown>;
  const decision = b.decision;
  if (typeof decision !== 'string' || !(VERDICTS as readonly string[]).includes(decision)) {
    throw new Error(`safety kernel answered an unknown decision ${JSON.stringify(decision)}`);
  }
  const constraints =
    typeof b.constraints === 'object' && b.constraints !== null ? (b.constraints as Record<string, unknown>) : null;
  const positive = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  return {
    decision: decision as SafetyVerdict,
    reason: typeof b.reason === 'string' ? b.reason : null,
    source: 'remote',
    policy_version: typeof b.policy_version === 'string' ? b.policy_version : 'remote',
    constraints:
      constraints === null
        ? null
        : {
            ...(positive(constraints.max_runtime_ms) === undefined
              ? {}
              : { max_runtime_ms: positive(constraints.max_runtime_ms) as number }),
            ...(positive(constraints.max_retries) === undefined
              ? {}
              : { max_retries: positive(constraints.max_retries) as number }),
            ...(positive(constraints.max_concurrent_jobs) === undefined
              ? {}
              : { max_concurrent_jobs: positive(constraints.max_concurrent_jobs) as number }),
          },
    retry_after_ms: positive(b.retry_after_ms) ?? null,
  };
}
