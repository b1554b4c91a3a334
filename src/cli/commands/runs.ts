/**
 * `coretex runs list|get|events|wait|cancel|approve|rerun` (SPEC 2.2, 8): workflow runs through
 * `/api/v1/workflow-runs`. `get` shows the run and a table of its steps (state, attempts, job ids);
 * `wait` — and `--wait` on `rerun` and `workflows run` — follows a run to its end, printing each change
 * of the run and of its steps (the run has no long-poll, so it is read every quarter second).
 */
import { type Command, Option } from 'commander';
import {
  allPages,
  call,
  type Connection,
  connect,
  defined,
  delay,
  duration,
  type GlobalOptions,
  type PageOptions,
  pageQuery,
  withGlobals,
  withPaging,
} from '../api.ts';
import { follow, type FollowOptions } from '../follow.ts';
import { brief, emit, printFields, printHistory, printJson, printPage, printTable, time } from '../output.ts';

const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const;
const RUN_STATUSES = ['PENDING', 'RUNNING', 'WAITING', ...ENDED] as const;
type RunStatus = (typeof RUN_STATUSES)[number];
const STEP_STATUSES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'SKIPPED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

const RUN_POLL_MS = 250;
/** A fan-out step lists this many job ids in the table; the rest are counted (all are in --json). */
const JOB_IDS_SHOWN = 3;

type Run = Awaited<ReturnType<typeof getRun>>;

/** `--wait` and `--timeout` for the commands that start a run. */
export function withWait(command: Command): Command {
  return command
    .option('--wait', 'follow the run to its end, printing its changes (exit 3 unless it SUCCEEDED)')
    .option('--timeout <duration>', 'with --wait: give up after this long (exit 4)', duration);
}

export interface StartedOptions extends GlobalOptions, FollowOptions {
  readonly wait?: boolean;
}

/** A run just started: its id (or the answer with --json), then, with --wait, its changes to the end. */
export async function printStarted(
  connection: Connection,
  answer: { readonly run_id: string },
  options: StartedOptions,
): Promise<void> {
  if (options.wait !== true) return emit(options.json, answer, answer.run_id);
  if (options.json !== true) process.stdout.write(`${answer.run_id}\n`);
  await followRun(connection, answer.run_id, options);
}

export function addRunsCommand(program: Command): void {
  const runs = program
    .command('runs')
    .description('workflow runs: list, inspect, follow, cancel, answer approvals, rerun');

  withGlobals(
    withPaging(
      runs
        .command('list')
        .description('workflow runs, newest first (filters: --status, and one of --workflow, --team)')
        .addOption(new Option('--status <status>', 'only runs in this state').choices(RUN_STATUSES))
        .option('--workflow <id>', 'only runs of this workflow')
        .option('--team <team>', 'only runs of this team'),
    ),
  ).action(async (options: GlobalOptions & PageOptions & { status?: RunStatus; workflow?: string; team?: string }) => {
    const connection = connect(options);
    const page = await call(
      connection,
      connection.client.GET('/api/v1/workflow-runs', {
        params: {
          query: {
            ...connection.tenantQuery,
            ...defined({ status: options.status, workflow_id: options.workflow, team_id: options.team }),
            ...pageQuery(options),
          },
        },
      }),
    );
    if (options.json === true) return printJson(page);
    printPage(page, ['RUN ID', 'WORKFLOW', 'VERSION', 'STATUS', 'STEPS', 'CREATED', 'ENDED'], (r) => [
      r.run_id,
      r.workflow_id,
      r.workflow_version,
      r.status,
      stepCounts(Object.values(r.steps)),
      time(r.created_at),
      time(r.ended_at),
    ]);
  });

  withGlobals(runs.command('get').description('show a run and its steps').argument('<run-id>')).action(
    async (runId: string, options: GlobalOptions) => {
      const run = await getRun(connect(options), runId);
      if (options.json === true) return printJson(run);
      printRun(run);
    },
  );

  withGlobals(runs.command('events').description("a run's history, oldest first").argument('<run-id>')).action(
    async (runId: string, options: GlobalOptions) => {
      const connection = connect(options);
      const items = await allPages((cursor) =>
        call(
          connection,
          connection.client.GET('/api/v1/workflow-runs/{run_id}/events', {
            params: {
              path: { run_id: runId },
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
    runs
      .command('wait')
      .description('follow a run to its end, printing its changes (exit 3 unless it SUCCEEDED)')
      .argument('<run-id>')
      .option('--timeout <duration>', 'give up after this long (exit 4)', duration),
  ).action(async (runId: string, options: GlobalOptions & FollowOptions) => {
    await followRun(connect(options), runId, options);
  });

  withGlobals(
    runs
      .command('cancel')
      .description('cancel a run, its pending steps and its running step jobs')
      .argument('<run-id>')
      .option('--reason <text>', 'recorded in the run’s events'),
  ).action(async (runId: string, options: GlobalOptions & { reason?: string }) => {
    const connection = connect(options);
    const answer = await call(
      connection,
      connection.client.POST('/api/v1/workflow-runs/{run_id}/cancel', {
        params: { path: { run_id: runId }, query: connection.tenantQuery },
        body: defined({ reason: options.reason }),
      }),
    );
    emit(options.json, answer, `${answer.run_id} ${answer.status}${answer.changed ? '' : ' (unchanged)'}`);
  });

  withGlobals(
    runs
      .command('approve')
      .description('answer an approval step that is waiting: approve it, or with --reject fail it')
      .argument('<run-id>')
      .argument('<step-id>')
      .option('--reject', 'reject the step (it fails, and the run with it unless its join allows)')
      .option('--reason <text>', 'recorded in the run’s events'),
  ).action(async (runId: string, stepId: string, options: GlobalOptions & { reject?: boolean; reason?: string }) => {
    const connection = connect(options);
    const answer = await call(
      connection,
      connection.client.POST('/api/v1/workflow-runs/{run_id}/steps/{step_id}/approve', {
        params: { path: { run_id: runId, step_id: stepId }, query: connection.tenantQuery },
        body: { approved: options.reject !== true, ...defined({ reason: options.reason }) },
      }),
    );
    emit(options.json, answer, `${answer.run_id} ${answer.step_id} ${answer.step_status} (run ${answer.status})`);
  });

  withGlobals(
    withWait(
      runs
        .command('rerun')
        .description('run an ended run again as a new run (same version and input); prints the new run id')
        .argument('<run-id>')
        .option('--from-step <step-id>', 'keep the outputs of the steps it depends on; run it and the rest again')
        .option('--idempotency-key <key>', 'rerun at most once per key'),
    ),
  ).action(async (runId: string, options: StartedOptions & { fromStep?: string; idempotencyKey?: string }) => {
    const connection = connect(options);
    const answer = await call(
      connection,
      connection.client.POST('/api/v1/workflow-runs/{run_id}/rerun', {
        params: {
          path: { run_id: runId },
          query: connection.tenantQuery,
          header: defined({ 'idempotency-key': options.idempotencyKey }),
        },
        body: defined({ from_step: options.fromStep }),
      }),
    );
    await printStarted(connection, answer, options);
  });
}

function getRun(connection: Connection, runId: string) {
  return call(
    connection,
    connection.client.GET('/api/v1/workflow-runs/{run_id}', {
      params: { path: { run_id: runId }, query: connection.tenantQuery },
    }),
  );
}

function printRun(run: Run): void {
  printFields([
    ['run_id', run.run_id],
    ['workflow', `${run.workflow_id} (version ${run.workflow_version})`],
    ['status', run.status],
    ['team', run.team_id],
    ['started_by', run.started_by],
    ['started', time(run.started_at)],
    ['ended', time(run.ended_at)],
    ['times out', time(run.timeout_at)],
    ['input', brief(run.input)],
    ['output', brief(run.output)],
    ['error', run.error === null ? null : errorText(run.error)],
    ['rerun_of', run.rerun_of === null ? null : `${run.rerun_of.run_id} from ${run.rerun_of.from_step ?? 'the start'}`],
    ['trace_id', run.trace_id],
  ]);
  printTable(
    ['STEP', 'TYPE', 'STATE', 'ATTEMPTS', 'JOB IDS', 'STARTED', 'ENDED', 'DETAIL'],
    Object.entries(run.steps).map(([id, step]) => [
      id,
      step.type,
      step.status,
      step.attempts,
      jobIds(step.job_ids),
      time(step.started_at),
      time(step.ended_at),
      stepDetail(step, run),
    ]),
  );
}

type Step = Run['steps'][string];

function jobIds(ids: readonly string[]): string {
  const shown = ids.slice(0, JOB_IDS_SHOWN).join(' ');
  return ids.length > JOB_IDS_SHOWN ? `${shown} +${ids.length - JOB_IDS_SHOWN} more` : shown;
}

/** Why a step is where it is: its error, what it waits for, or that a rerun took its outcome over. */
function stepDetail(step: Step, run: Run): string | null {
  if (step.error !== null) return errorText(step.error);
  if (step.wait !== null) return `${step.wait.reason} until ${time(step.wait.until)}`;
  if (step.reused) return `reused from ${run.rerun_of?.run_id ?? 'the rerun run'}`;
  return null;
}

function errorText(error: { readonly code: string; readonly message: string; readonly step_id?: string | null }) {
  return `${error.code}: ${error.message}${error.step_id == null ? '' : ` (step ${error.step_id})`}`;
}

/** `2 SUCCEEDED, 1 WAITING`: a run's steps counted by state, in the order states are reached. */
function stepCounts(statuses: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return STEP_STATUSES.filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
}

/** Follows a run to its end (see follow.ts): each change of the run or of one of its steps is a line. */
export function followRun(connection: Connection, runId: string, options: FollowOptions): Promise<void> {
  return follow<Run>(
    {
      kind: 'run',
      id: runId,
      read: async (waitMs) => {
        if (waitMs > 0) await delay(Math.min(waitMs, RUN_POLL_MS));
        return getRun(connection, runId);
      },
      status: (run) => run.status,
      changes: runChanges,
      ended: (run) => (ENDED as readonly string[]).includes(run.status),
      outcome: (run) =>
        `${run.run_id} ${run.status} ${run.error === null ? brief(run.output, 200) : errorText(run.error)}`,
    },
    options,
  );
}

function runChanges(previous: Run | null, run: Run): string[] {
  const seen = new Date().toISOString();
  const lines: string[] = [];
  for (const [id, step] of Object.entries(run.steps)) {
    const before = (previous !== null && Object.hasOwn(previous.steps, id) ? previous.steps[id] : undefined)?.status;
    if (step.status !== (before ?? 'PENDING')) {
      lines.push(`${time(step.ended_at ?? step.started_at ?? seen)} ${run.run_id} ${id} ${step.status}`);
    }
  }
  // After its steps: a run ends because of them.
  if (previous?.status !== run.status) lines.push(`${time(run.ended_at ?? seen)} ${run.run_id} ${run.status}`);
  return lines;
}
