/**
 * `coretex jobs submit|list|get|cancel|events|wait` (SPEC 1, 8): HTTP clients of `/api/v1/jobs`.
 * `wait` (and `submit --wait`) long-polls the job until it is terminal, printing each state change.
 */
import { type Command, Option } from 'commander';
import {
  allPages,
  call,
  type Connection,
  connect,
  defined,
  duration,
  type GlobalOptions,
  integer,
  jsonInput,
  keyValue,
  type PageOptions,
  pageQuery,
  withGlobals,
  withPaging,
} from '../api.ts';
import { follow, type FollowOptions } from '../follow.ts';
import { brief, emit, printFields, printHistory, printJson, printPage, time } from '../output.ts';

export const TERMINAL_STATES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DENIED'] as const;
const STATES = ['PENDING', 'APPROVAL_REQUIRED', 'SCHEDULED', 'DISPATCHED', 'RUNNING', ...TERMINAL_STATES] as const;
type JobState = (typeof STATES)[number];

interface SubmitOptions extends GlobalOptions, FollowOptions {
  readonly topic?: string;
  readonly payload?: string;
  readonly payloadFile?: string;
  readonly priority?: 'critical' | 'interactive' | 'batch';
  readonly label?: Record<string, string>;
  readonly idempotencyKey?: string;
  readonly runAt?: string;
  readonly maxAttempts?: number;
  readonly team?: string;
  readonly riskTag?: string[];
  readonly wait?: boolean;
}

export function addJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('submit, list, inspect, cancel and wait for jobs');

  withGlobals(
    jobs
      .command('submit')
      .description('submit a job; prints its id (with --wait, waits until it is terminal)')
      .option('--topic <topic>', 'its topic, e.g. job.default (default: job.default)')
      .option('--payload <json>', 'the payload, as JSON')
      .option('--payload-file <path>', 'read the payload (JSON) from a file, - for stdin')
      .addOption(new Option('--priority <class>', 'release order class').choices(['critical', 'interactive', 'batch']))
      .option('--label <key=value>', 'a label (repeatable)', keyValue)
      .option('--team <team>', 'the team within the tenant')
      .option('--risk-tag <tag>', 'a tag the safety policy checks (repeatable)', collect)
      .option('--idempotency-key <key>', 'submit at most once per key')
      .option('--run-at <time>', 'not before this time: RFC 3339 or epoch milliseconds')
      .option('--max-attempts <n>', 'attempts before it fails for good', integer(1))
      .option('--wait', 'wait until the job is terminal, printing its state changes')
      .option('--timeout <duration>', 'with --wait: give up after this long (exit 4)', duration),
  ).action(async (options: SubmitOptions) => {
    const connection = connect(options);
    const body = submission(options);
    const answer = await call(
      connection,
      connection.client.POST('/api/v1/jobs', {
        params: {
          query: connection.tenantQuery,
          header: options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey },
        },
        body,
      }),
    );
    if (options.wait !== true) return emit(options.json, answer, answer.job_id);
    if (options.json !== true) process.stdout.write(`${answer.job_id}\n`);
    await waitForJob(connection, answer.job_id, options);
  });

  withGlobals(
    withPaging(
      jobs
        .command('list')
        .description('list jobs, newest first')
        .addOption(new Option('--state <state>', 'only jobs in this state').choices(STATES))
        .option('--topic <topic>', 'only jobs of this topic')
        .option('--team <team>', 'only jobs of this team')
        .option('--trace-id <id>', 'only jobs of this trace'),
    ),
  ).action(
    async (
      options: GlobalOptions & PageOptions & { state?: JobState; topic?: string; team?: string; traceId?: string },
    ) => {
      const connection = connect(options);
      const page = await call(
        connection,
        connection.client.GET('/api/v1/jobs', {
          params: {
            query: {
              ...connection.tenantQuery,
              ...defined({ state: options.state, topic: options.topic, team: options.team, trace_id: options.traceId }),
              ...pageQuery(options),
            },
          },
        }),
      );
      if (options.json === true) return printJson(page);
      printPage(page, ['JOB ID', 'STATE', 'TOPIC', 'PRIORITY', 'ATTEMPT', 'WORKER', 'CREATED'], (j) => [
        j.job_id,
        j.state,
        j.topic,
        j.priority,
        j.attempt,
        j.worker_id,
        time(j.created_at),
      ]);
    },
  );

  withGlobals(jobs.command('get').description('show one job').argument('<job-id>')).action(
    async (jobId: string, options: GlobalOptions) => {
      const connection = connect(options);
      const job = await getJob(connection, jobId);
      if (options.json === true) return printJson(job);
      printFields([
        ['job_id', job.job_id],
        ['tenant', job.tenant],
        ['topic', job.topic],
        ['state', job.state],
        ['priority', job.priority],
        ['team', job.team],
        ['labels', Object.keys(job.labels).length === 0 ? null : brief(job.labels)],
        ['attempt', `${job.attempt}${job.max_attempts === null ? '' : ` of ${job.max_attempts}`}`],
        ['worker', job.worker_id],
        ['created', time(job.created_at)],
        ['updated', time(job.updated_at)],
        ['payload', brief(job.payload)],
        ['result', brief(job.result)],
        ['error', job.error === null ? null : `${job.error.code}: ${job.error.message}`],
        ['approval', job.approval_request?.request_hash ?? null],
        ['retry_of', job.retry_of],
        ['trace_id', job.trace_id],
      ]);
    },
  );

  withGlobals(
    jobs.command('cancel').description('cancel a job').argument('<job-id>').option('--reason <text>', 'recorded'),
  ).action(async (jobId: string, options: GlobalOptions & { reason?: string }) => {
    const connection = connect(options);
    const answer = await call(
      connection,
      connection.client.POST('/api/v1/jobs/{id}/cancel', {
        params: { path: { id: jobId }, query: connection.tenantQuery },
        body: options.reason === undefined ? {} : { reason: options.reason },
      }),
    );
    emit(options.json, answer, `${answer.job_id} ${answer.state}`);
  });

  withGlobals(jobs.command('events').description("a job's history, oldest first").argument('<job-id>')).action(
    async (jobId: string, options: GlobalOptions) => {
      const connection = connect(options);
      const items = await allPages((cursor) =>
        call(
          connection,
          connection.client.GET('/api/v1/jobs/{id}/events', {
            params: {
              path: { id: jobId },
              query: { ...connection.tenantQuery, limit: 500, ...(cursor === null ? {} : { cursor }) },
            },
          }),
        ),
      );
      if (options.json === true) return printJson({ items });
      printHistory(items);
    },
  );

  withGlobals(
    jobs
      .command('wait')
      .description('wait until a job is terminal, printing its state changes (exit 3 unless SUCCEEDED)')
      .argument('<job-id>')
      .option('--timeout <duration>', 'give up after this long (exit 4)', duration),
  ).action(async (jobId: string, options: GlobalOptions & FollowOptions) => {
    await waitForJob(connect(options), jobId, options);
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function submission(options: SubmitOptions) {
  const payload = jsonInput(
    { inline: options.payload, file: options.payloadFile },
    { inline: '--payload', file: '--payload-file' },
  );
  const runAt =
    options.runAt === undefined ? undefined : /^\d+$/.test(options.runAt) ? Number(options.runAt) : options.runAt;
  return {
    ...defined({
      topic: options.topic,
      payload,
      priority: options.priority,
      labels: options.label,
      team: options.team,
      risk_tags: options.riskTag,
      run_at: runAt,
    }),
    ...(options.maxAttempts === undefined ? {} : { retry: { max_attempts: options.maxAttempts } }),
  };
}

async function getJob(connection: Connection, jobId: string, wait?: string) {
  return call(
    connection,
    connection.client.GET('/api/v1/jobs/{id}', {
      params: { path: { id: jobId }, query: { ...connection.tenantQuery, ...(wait === undefined ? {} : { wait }) } },
    }),
  );
}

/** Long-polls the job (`?wait=`) until it is terminal, printing each state it is seen in (see follow.ts). */
function waitForJob(connection: Connection, jobId: string, options: FollowOptions): Promise<void> {
  type Job = Awaited<ReturnType<typeof getJob>>;
  return follow<Job>(
    {
      kind: 'job',
      id: jobId,
      read: (waitMs) => getJob(connection, jobId, waitMs === 0 ? undefined : `${Math.ceil(waitMs)}ms`),
      status: (job) => job.state,
      changes: (previous, job) =>
        previous?.state === job.state ? [] : [`${time(job.updated_at)} ${job.job_id} ${job.state}`],
      ended: (job) => (TERMINAL_STATES as readonly string[]).includes(job.state),
      outcome: (job) =>
        `${job.job_id} ${job.state} ${job.error === null ? brief(job.result, 200) : `${job.error.code}: ${job.error.message}`}`,
    },
    options,
  );
}
