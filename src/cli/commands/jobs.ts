/**
 * `coretex jobs submit|list|get|cancel|events|wait` (SPEC 1, 8): HTTP clients of `/api/v1/jobs`.
 * `wait` (and `submit --wait`) long-polls the job until it is terminal, printing each state change.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  allPages,
  call,
  CliError,
  type Connection,
  connect,
  duration,
  type GlobalOptions,
  integer,
  keyValue,
  parseJson,
  usageError,
  withGlobals,
} from '../api.ts';
import { brief, withoutKeys, note, printFields, printJson, printTable, time } from '../output.ts';

export const TERMINAL_STATES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DENIED'] as const;
const STATES = ['PENDING', 'APPROVAL_REQUIRED', 'SCHEDULED', 'DISPATCHED', 'RUNNING', ...TERMINAL_STATES] as const;
type JobState = (typeof STATES)[number];

interface SubmitOptions extends GlobalOptions, WaitOptions {
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

/** The longest single long-poll: well inside the API's request timeout. */
const POLL_MS = 5_000;

interface WaitOptions {
  readonly timeout?: number;
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
    if (options.wait !== true) {
      if (options.json === true) printJson(answer);
      else process.stdout.write(`${answer.job_id}\n`);
      return;
    }
    if (options.json !== true) process.stdout.write(`${answer.job_id}\n`);
    await waitForJob(connection, answer.job_id, options);
  });

  withGlobals(
    jobs
      .command('list')
      .description('list jobs, newest first')
      .addOption(new Option('--state <state>', 'only jobs in this state').choices(STATES))
      .option('--topic <topic>', 'only jobs of this topic')
      .option('--team <team>', 'only jobs of this team')
      .option('--trace-id <id>', 'only jobs of this trace')
      .option('--limit <n>', 'page size (the API allows at most 500)', integer(1))
      .option('--cursor <cursor>', 'the page after this cursor (printed under the previous page)'),
  ).action(
    async (
      options: GlobalOptions & {
        state?: JobState;
        topic?: string;
        team?: string;
        traceId?: string;
        limit?: number;
        cursor?: string;
      },
    ) => {
      const connection = connect(options);
      const page = await call(
        connection,
        connection.client.GET('/api/v1/jobs', {
          params: {
            query: {
              ...connection.tenantQuery,
              ...(options.state === undefined ? {} : { state: options.state }),
              ...(options.topic === undefined ? {} : { topic: options.topic }),
              ...(options.team === undefined ? {} : { team: options.team }),
              ...(options.traceId === undefined ? {} : { trace_id: options.traceId }),
              ...(options.limit === undefined ? {} : { limit: options.limit }),
              ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
            },
          },
        }),
      );
      if (options.json === true) return printJson(page);
      printTable(
        ['JOB ID', 'STATE', 'TOPIC', 'PRIORITY', 'ATTEMPT', 'WORKER', 'CREATED'],
        page.items.map((j) => [j.job_id, j.state, j.topic, j.priority, j.attempt, j.worker_id, time(j.created_at)]),
      );
      if (page.next_cursor !== null) note(`more: --cursor ${page.next_cursor}`);
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
    if (options.json === true) return printJson(answer);
    process.stdout.write(`${answer.job_id} ${answer.state}\n`);
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
      printTable(
        ['TIME', 'TYPE', 'ACTOR', 'POSITION', 'DATA'],
        items.map((e) => [time(e.time), e.type, e.actor, e.position, brief(withoutKeys(e.data), 50)]),
      );
    },
  );

  withGlobals(
    jobs
      .command('wait')
      .description('wait until a job is terminal, printing its state changes (exit 3 unless SUCCEEDED)')
      .argument('<job-id>')
      .option('--timeout <duration>', 'give up after this long (exit 4)', duration),
  ).action(async (jobId: string, options: GlobalOptions & WaitOptions) => {
    await waitForJob(connect(options), jobId, options);
  });
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function submission(options: SubmitOptions) {
  if (options.payload !== undefined && options.payloadFile !== undefined) {
    throw usageError('give --payload or --payload-file, not both');
  }
  let payload: unknown;
  if (options.payload !== undefined) payload = parseJson(options.payload, '--payload');
  if (options.payloadFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.payloadFile === '-' ? 0 : options.payloadFile, 'utf8');
    } catch (error) {
      throw usageError(`cannot read --payload-file ${options.payloadFile}: ${(error as Error).message}`);
    }
    payload = parseJson(text, `--payload-file ${options.payloadFile}`);
  }
  const runAt =
    options.runAt === undefined ? undefined : /^\d+$/.test(options.runAt) ? Number(options.runAt) : options.runAt;
  return {
    ...(options.topic === undefined ? {} : { topic: options.topic }),
    ...(payload === undefined ? {} : { payload }),
    ...(options.priority === undefined ? {} : { priority: options.priority }),
    ...(options.label === undefined ? {} : { labels: options.label }),
    ...(options.team === undefined ? {} : { team: options.team }),
    ...(options.riskTag === undefined ? {} : { risk_tags: options.riskTag }),
    ...(runAt === undefined ? {} : { run_at: runAt }),
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

/**
 * Long-polls the job (`?wait=`) until it is terminal, printing each state it is seen in on stderr;
 * prints the final job (a table, or JSON with --json). Exit 3 when it ended other than SUCCEEDED,
 * 4 when `--timeout` ran out first.
 */
async function waitForJob(connection: Connection, jobId: string, options: GlobalOptions & WaitOptions): Promise<void> {
  const deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout;
  let last = '';
  for (let first = true; ; first = false) {
    // The first read shows where the job is now; then long-polls of a few seconds each, so a state
    // change shows within seconds while a job that ends is seen at once.
    const waitMs = Math.max(1, Math.min(POLL_MS, deadline - Date.now()));
    const job = await getJob(connection, jobId, first ? undefined : `${Math.ceil(waitMs)}ms`);
    if (job.state !== last) {
      last = job.state;
      note(`${time(job.updated_at)} ${job.job_id} ${job.state}`);
    }
    if ((TERMINAL_STATES as readonly string[]).includes(job.state)) {
      if (options.json === true) printJson(job);
      else {
        const outcome = job.error === null ? brief(job.result, 200) : `${job.error.code}: ${job.error.message}`;
        process.stdout.write(`${job.job_id} ${job.state} ${outcome}\n`);
      }
      if (job.state !== 'SUCCEEDED') throw new CliError(`job ${job.job_id} ended ${job.state}`, 3);
      return;
    }
    if (Date.now() >= deadline) {
      if (options.json === true) printJson(job);
      throw new CliError(`job ${job.job_id} is still ${job.state} after the --timeout`, 4);
    }
  }
}
