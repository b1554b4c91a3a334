/**
 * The fields a log line about a job or a run carries (SPEC 6: structured logs with `trace_id`), so
 * that a line is found by its job, its run or its trace — the ids clients see and the trace their
 * `traceparent` named. Built only where a line is written: nothing here runs on the happy path.
 */
import type { JobRequest } from '../domain/job/request.ts';
import type { RunData } from '../domain/workflow/run-state.ts';

export interface JobLogFields {
  readonly job_id: string;
  readonly tenant: string;
  readonly trace_id: string;
  readonly run_id?: string;
  readonly step_id?: string;
}

export function jobLogFields(request: JobRequest): JobLogFields {
  const base = { job_id: request.job_id, tenant: request.tenant, trace_id: request.trace_id };
  return request.step === null ? base : { ...base, run_id: request.step.run_id, step_id: request.step.step_id };
}

export function runLogFields(run: RunData): {
  readonly run_id: string;
  readonly workflow_id: string;
  readonly tenant: string;
  readonly trace_id: string;
} {
  return {
    run_id: run.keys.run_id,
    workflow_id: run.keys.workflow_id,
    tenant: run.keys.org_id,
    trace_id: run.trace_id,
  };
}
