/**
 * `coretex dlq list|retry` (SPEC 1.10). `retry <job-id>` retries one entry (a repeat returns the same
 * new job); `retry --all | --topic | --reason-code` starts a bulk retry operation and follows it
 * (`/api/v1/operations/{id}`), with a progress bar when a person is watching.
 */
import type { Command } from 'commander';
import {
  allPages,
  call,
  CliError,
  type Connection,
  connect,
  defined,
  delay,
  type GlobalOptions,
  type PageOptions,
  pageQuery,
  usageError,
  withGlobals,
  withPaging,
} from '../api.ts';
import { emit, note, printJson, printPage, progressBar, time } from '../output.ts';

interface RetryOptions extends GlobalOptions {
  readonly all?: boolean;
  readonly topic?: string;
  readonly reasonCode?: string;
  readonly reason?: string;
}

const OPERATION_POLL_MS = 250;

export function addDlqCommand(program: Command): void {
  const dlq = program.command('dlq').description('the dead-letter queue: list and retry failed jobs');

  withGlobals(
    withPaging(
      dlq
        .command('list')
        .description('dead-lettered jobs, newest first')
        .option('--topic <topic>', 'only entries of this topic')
        .option('--reason-code <code>', 'only entries with this reason code'),
    ),
  ).action(async (options: GlobalOptions & PageOptions & { topic?: string; reasonCode?: string }) => {
    const connection = connect(options);
    const page = await call(
      connection,
      connection.client.GET('/api/v1/dlq', {
        params: {
          query: {
            ...connection.tenantQuery,
            ...defined({ topic: options.topic, reason_code: options.reasonCode }),
            ...pageQuery(options),
          },
        },
      }),
    );
    if (options.json === true) return printJson(page);
    printPage(page, ['JOB ID', 'TOPIC', 'FINAL STATE', 'REASON CODE', 'ATTEMPTS', 'RETRIED AS', 'CREATED'], (e) => [
      e.job_id,
      e.topic,
      e.final_state,
      e.reason_code,
      e.attempts,
      e.retried_as,
      time(e.created_at),
    ]);
  });

  withGlobals(
    dlq
      .command('retry')
      .description('retry one entry as a new job, or every entry matching a filter (a bulk operation)')
      .argument('[job-id]', 'the entry to retry')
      .option('--all', 'retry every entry of the tenant')
      .option('--topic <topic>', 'retry the entries of this topic')
      .option('--reason-code <code>', 'retry the entries with this reason code')
      .option('--reason <text>', 'bulk: recorded on the operation'),
  ).action(async (jobId: string | undefined, options: RetryOptions) => {
    const filters = [options.all === true, options.topic !== undefined, options.reasonCode !== undefined];
    const chosen = filters.filter(Boolean).length;
    if (jobId !== undefined && chosen > 0)
      throw usageError('give a job id or a filter (--all, --topic, --reason-code), not both');
    if (jobId === undefined && chosen !== 1) throw usageError('give a job id, or one of --all, --topic, --reason-code');
    const connection = connect(options);
    if (jobId !== undefined) {
      const answer = await call(
        connection,
        connection.client.POST('/api/v1/dlq/{job_id}/retry', {
          params: { path: { job_id: jobId }, query: connection.tenantQuery },
          body: {},
        }),
      );
      return emit(options.json, answer, answer.job_id);
    }
    await bulkRetry(connection, options);
  });
}

async function bulkRetry(connection: Connection, options: RetryOptions): Promise<void> {
  const filter = defined({ topic: options.topic, reason_code: options.reasonCode });
  const total = await countEntries(connection, filter);
  const started = await call(
    connection,
    connection.client.POST('/api/v1/dlq/retry', {
      params: { query: connection.tenantQuery },
      body: { filter, ...defined({ reason: options.reason }) },
    }),
  );
  note(`operation ${started.operation_id} started`);
  const bar = progressBar('retrying [{bar}] {value}/{total} entries · {changed} retried · {failed} failed');
  for (;;) {
    const operation = await call(
      connection,
      connection.client.GET('/api/v1/operations/{id}', {
        params: { path: { id: started.operation_id }, query: connection.tenantQuery },
      }),
    );
    bar.update(operation.processed, total ?? operation.processed, {
      changed: String(operation.changed),
      failed: String(operation.failed),
    });
    if (operation.status !== 'RUNNING') {
      bar.stop();
      if (options.json === true) printJson(operation);
      else {
        process.stdout.write(
          `operation ${operation.operation_id} ${operation.status}: ${operation.processed} entries, ` +
            `${operation.changed} retried, ${operation.failed} failed\n`,
        );
      }
      if (operation.status === 'FAILED')
        throw new CliError(`operation failed: ${operation.error ?? 'no reason given'}`);
      return;
    }
    await delay(OPERATION_POLL_MS);
  }
}

/** How many entries the filter matches, for the progress bar's total (only when a person watches). */
async function countEntries(
  connection: Connection,
  filter: { topic?: string; reason_code?: string },
): Promise<number | null> {
  if (process.stdout.isTTY !== true || process.stderr.isTTY !== true) return null;
  const entries = await allPages((cursor) =>
    call(
      connection,
      connection.client.GET('/api/v1/dlq', {
        params: { query: { ...connection.tenantQuery, ...filter, limit: 500, ...(cursor === null ? {} : { cursor }) } },
      }),
    ),
  );
  return entries.length;
}
