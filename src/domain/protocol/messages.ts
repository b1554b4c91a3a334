/**
 * The worker protocol (ARCHITECTURE.md section 6): the JSON messages between the control plane and
 * workers. Shared by the scheduler and the worker runtime users import; `schemas.ts` has each as a
 * JSON Schema (served in the OpenAPI components) so workers in other languages can be written too.
 * Times are epoch milliseconds. Every subject is under the installation's prefix.
 */

/** Hand-off request: `worker.<worker_id>.jobs` (direct) or `q.<pool>.<topic>` (queue group = pool). */
export interface DispatchMessage {
  readonly job_id: string;
  readonly tenant: string;
  readonly attempt: number;
  /** Echoed in `started`, progress and results: only the holder's reports with it count. */
  readonly token: string;
  readonly topic: string;
  readonly payload: unknown;
  readonly priority: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly trace_id: string;
  /** The job's partition: where to report (`sys.job.result.<p>`, `sys.job.progress.<p>`). */
  readonly partition: number;
  readonly result_subject: string;
  readonly progress_subject: string;
  /** The attempt must have started by then (dispatch timeout). */
  readonly dispatch_deadline: number;
  /** How long a started attempt may run before it times out (extended by progress). */
  readonly running_ms: number;
  /** The job's overall deadline, if any. */
  readonly deadline_at: number | null;
  /** `CORETEX_EFFECTIVE_CONFIG`, `workflow_id`, `run_id`, `step_id`, `tenant_id`, `team_id`, ... */
  readonly env: Readonly<Record<string, string>>;
}

/** The worker's reply to a hand-off. `started_at` when it started at once (the job is then RUNNING). */
export type HandOffReply =
  | { readonly accepted: true; readonly worker_id: string; readonly started_at: number | null }
  | { readonly accepted: false; readonly worker_id: string; readonly reason: string };

/** On `sys.job.result.<p>`, captured by JetStream: `started`, or the attempt's result. */
export interface ReportMessage {
  readonly type: 'started' | 'result';
  readonly job_id: string;
  readonly tenant: string;
  readonly attempt: number;
  readonly token: string;
  readonly worker_id: string;
  /** Results: SUCCEEDED | COMPLETED | FAILED | TIMEOUT | CANCELLED | DENIED (anything else: unknown). */
  readonly status?: string;
  readonly result?: unknown;
  readonly result_ptr?: string | null;
  readonly execution_ms?: number | null;
  readonly error_code?: string | null;
  readonly error_message?: string | null;
  /** Default true. */
  readonly retryable?: boolean;
  readonly sent_at: number;
}

/** On core `sys.job.progress.<p>`: extends the running deadline. */
export interface ProgressMessage {
  readonly job_id: string;
  readonly tenant: string;
  readonly attempt: number;
  readonly token: string;
  readonly worker_id: string;
  readonly progress?: unknown;
}

/** On `worker.<worker_id>.cancel` or `q.<pool>.cancel`: stop this attempt (a stop may overtake its job). */
export interface StopMessage {
  readonly job_id: string;
  readonly tenant: string;
  readonly attempt: number;
  readonly reason: string;
}

/** KV `<prefix>_workers`, key = worker id, rewritten every heartbeat; the entry ages out after the TTL. */
export interface HeartbeatMessage {
  readonly worker_id: string;
  /** Unique per worker process: a second process with the same worker id is refused. */
  readonly instance: string;
  readonly pool: string;
  readonly topics: readonly string[];
  readonly active_jobs: number;
  readonly max_parallel_jobs: number;
  readonly capabilities: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly cpu_load: number;
  readonly gpu_utilization?: number;
  readonly region: string | null;
  readonly version: string;
  readonly started_at: number;
  readonly sent_at: number;
}

/** Subjects of the worker protocol, under an installation prefix. */
export function protocolSubjects(prefix: string) {
  return {
    directJobs: (workerId: string) => `${prefix}.worker.${workerId}.jobs`,
    workerCancel: (workerId: string) => `${prefix}.worker.${workerId}.cancel`,
    queueJobs: (pool: string, topic: string) => `${prefix}.q.${pool}.${topic}`,
    queueCancel: (pool: string) => `${prefix}.q.${pool}.cancel`,
    result: (partition: number) => `${prefix}.sys.job.result.${partition}`,
    progress: (partition: number) => `${prefix}.sys.job.progress.${partition}`,
    submit: (tenant: string) => `${prefix}.sys.job.submit.${tenant}`,
    due: (partition: number) => `${prefix}.sys.job.due.${partition}`,
    /** Core: a tenant got a slot back; every scheduler wakes its jobs waiting at that tenant's limit. */
    tenantFreed: (tenant: string) => `${prefix}.sys.tenant.freed.${tenant}`,
  };
}

export type ProtocolSubjects = ReturnType<typeof protocolSubjects>;

/** Worker ids and pool names must be single subject tokens. */
export const WORKER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const POOL_NAME_PATTERN = /^[a-z0-9_-]{1,64}$/;
