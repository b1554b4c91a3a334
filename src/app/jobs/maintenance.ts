/**
 * The reconciler's slower duties:
 *   - retention snapshots (docs/retention.md): a live job whose history starts more than half the hot
 *     window ago gets a `JobSnapshot`, so its older events may age out of the stream;
 *   - approvals under changed rules (SPEC 1.4): a job waiting for approval under a built-in policy
 *     version that is no longer current is evaluated again by Coretex itself (`ReevaluateSafety`).
 * Candidates come from the `jobs` read model's all-tenant state indexes (a hint); each job is reloaded.
 */
import type { JobStatus } from '../../domain/job/events.ts';
import { streamId } from '../../domain/shared/stream.ts';
import { docKey, indexKey, parseIndexMember } from '../../projections/jobs/keys.ts';
import { executeJob } from './job-repository.ts';
import type { JobRuntime } from './runtime.ts';

const LIVE: readonly JobStatus[] = ['PENDING', 'APPROVAL_REQUIRED', 'SCHEDULED', 'DISPATCHED', 'RUNNING'];
const PAGE = 500;

/** Live jobs created before `before` (ms), from the read model, oldest first. */
async function* liveJobsCreatedBefore(rt: JobRuntime, states: readonly JobStatus[], before: number) {
  const ns = await rt.readModels.namespace('jobs');
  if (ns === null) return;
  for (const state of states) {
    let after: { score: number; member: string } | undefined;
    for (;;) {
      const page = await rt.readModels.store.range(ns, indexKey('created', '*', { state }), {
        order: 'asc',
        max: before,
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      });
      for (const item of page) yield parseIndexMember('*', item.member);
      if (page.length < PAGE) break;
      after = page.at(-1);
    }
  }
}

export async function takeRetentionSnapshots(rt: JobRuntime, snapshotAfterMs: number): Promise<number> {
  if (snapshotAfterMs <= 0) return 0;
  const now = rt.clock.now();
  let taken = 0;
  for await (const ref of liveJobsCreatedBefore(rt, LIVE, now - snapshotAfterMs)) {
    const stream = streamId('job', ref.tenant, ref.jobId);
    const history = await rt.events.read(stream);
    const start = history.events[0];
    if (start === undefined || now - Date.parse(start.time) < snapshotAfterMs) continue;
    const executed = await executeJob(rt.jobs, stream, () => ({ type: 'TakeSnapshot', now: rt.clock.now() }), {
      actor: 'reconciler',
    });
    if (!(executed instanceof Error) && executed.appended !== null) taken++;
  }
  return taken;
}

export async function reevaluateApprovals(rt: JobRuntime): Promise<number> {
  let reevaluated = 0;
  for await (const ref of liveJobsCreatedBefore(rt, ['APPROVAL_REQUIRED'], rt.clock.now())) {
    const stream = streamId('job', ref.tenant, ref.jobId);
    const job = await rt.jobs.load(stream, { fresh: true });
    const state = job.state;
    if (state.status !== 'APPROVAL_REQUIRED' || state.approval_request.safety.source !== 'builtin') continue;
    const config = await rt.config.forJob(state.request);
    if (rt.safety.policyVersion(config) === state.approval_request.safety.policy_version) continue;
    const checked = await rt.safety.check(state.request, config);
    if (checked.kind !== 'decided') continue;
    const executed = await executeJob(
      rt.jobs,
      stream,
      () => ({
        type: 'ReevaluateSafety',
        decision: checked.decision,
        request_hash: rt.safety.requestHash(state.request),
        now: rt.clock.now(),
      }),
      { actor: 'reconciler' },
    );
    if (!(executed instanceof Error) && executed.appended !== null) reevaluated++;
  }
  return reevaluated;
}

export { docKey };
