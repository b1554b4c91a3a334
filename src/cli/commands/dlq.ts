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
  delay,
  type GlobalOptions,
  integer,
  usageError,
  withGlobals,
} from '../api.ts';
import { note, printJson, printTable, progressBar, time } from '../output.ts';

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
    dlq
      .command('list')
      .description('dead-lettered jobs, newest first')
      .option('--topic <topic>', 'only entries of this topic')
      .option('--reason-code <code>', 'only entries with this reason code')
      .option('--limit <n>', 'page size', integer(1))
      .option('--cursor <cursor>', 'the page after this cursor'),
  ).action(
    async (options: GlobalOptions & { topic?: string; reasonCode?: string; limit?: number; cursor?: string }) => {
      const connection = connect(options);
      const page = await call(
        connection,
        connection.client.GET('/api/v1/dlq', {
          params: {
            query: {
              ...connection.tenantQuery,
              ...(options.topic === undefined ? {} : { topic: options.topic }),
              ...(options.reasonCode === undefined ? {} : { reason_code: options.reasonCode }),
              ...(options.limit === undefined ? {} : { limit: options.limit }),
              ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
            },
          },
        }),
      );
      if (options.json === true) return printJson(page);
      printTable(
        ['JOB ID', 'TOPIC', 'FINAL STATE', 'REASON CODE', 'ATTEMPTS', 'RETRIED AS', 'CREATED'],
        page.items.map((e) => [
          e.job_id,
          e.topic,
          e.final_state,
          e.reason_code,
          e.attempts,
          e.retried_as,
          time(e.created_at),
        ]),
      );
      if (page.next_cursor !== null) note(`more: --cursor ${page.next_cursor}`);
    },
  );

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
      if (options.json === true) return printJson(answer);
      process.stdout.write(`${answer.job_id}\n`);
      return;
    }
    await bulkRetry(connection, options);
  });
}

async function bulkRetry(connection: Connection, options: RetryOptions): Promise<void> {
  const filter = {
    ...(options.topic === undefined ? {} : { topic: options.topic }),
    ...(options.reasonCode === undefined ? {} : { reason_code: options.reasonCode }),
  };
  const total = await countEntries(connection, filter);
  const started = await call(
    connection,
    connection.client.POST('/api/v1/dlq/retry', {
      params: { query: connection.tenantQuery },
      body: { filter, ...(options.reason === undefined ? {} : { reason: options.reason }) },
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
