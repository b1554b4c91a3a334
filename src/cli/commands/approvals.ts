/**
 * `coretex approvals list|approve|reject` (SPEC 1.4): jobs the safety policy holds for a person. An
 * answer carries the `request_hash` the approver was shown (`approvals list` prints it), so an
 * approval never applies to a request other than the one seen.
 */
import type { Command } from 'commander';
import { call, connect, type GlobalOptions, integer, withGlobals } from '../api.ts';
import { note, printJson, printTable, time } from '../output.ts';

interface AnswerOptions extends GlobalOptions {
  readonly requestHash: string;
  readonly reason?: string;
}

export function addApprovalsCommand(program: Command): void {
  const approvals = program.command('approvals').description('jobs waiting for approval: list, approve, reject');

  withGlobals(
    approvals
      .command('list')
      .description('jobs waiting for approval, with the request hash to answer with')
      .option('--limit <n>', 'page size', integer(1))
      .option('--cursor <cursor>', 'the page after this cursor'),
  ).action(async (options: GlobalOptions & { limit?: number; cursor?: string }) => {
    const connection = connect(options);
    const page = await call(
      connection,
      connection.client.GET('/api/v1/approvals', {
        params: {
          query: {
            ...connection.tenantQuery,
            ...(options.limit === undefined ? {} : { limit: options.limit }),
            ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
          },
        },
      }),
    );
    if (options.json === true) return printJson(page);
    printTable(
      ['JOB ID', 'TOPIC', 'PRIORITY', 'REASON', 'EXPIRES', 'REQUEST HASH'],
      page.items.map((a) => [a.job_id, a.topic, a.priority, a.reason, time(a.expires_at), a.request_hash]),
    );
    if (page.next_cursor !== null) note(`more: --cursor ${page.next_cursor}`);
  });

  for (const verb of ['approve', 'reject'] as const) {
    withGlobals(
      approvals
        .command(verb)
        .description(`${verb} a job waiting for approval`)
        .argument('<job-id>')
        .requiredOption('--request-hash <hash>', 'the request hash you were shown (approvals list)')
        .option('--reason <text>', 'recorded in the job’s events'),
    ).action(async (jobId: string, options: AnswerOptions) => {
      const connection = connect(options);
      const answer = await call(
        connection,
        connection.client.POST(`/api/v1/approvals/{job_id}/${verb}`, {
          params: { path: { job_id: jobId }, query: connection.tenantQuery },
          body: {
            request_hash: options.requestHash,
            ...(options.reason === undefined ? {} : { reason: options.reason }),
          },
        }),
      );
      if (options.json === true) return printJson(answer);
      process.stdout.write(`${answer.job_id} ${answer.state}\n`);
    });
  }
}
