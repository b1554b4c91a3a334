/**
 * `coretex approvals list|approve|reject` (SPEC 1.4): jobs the safety policy holds for a person. An
 * answer carries the `request_hash` the approver was shown (`approvals list` prints it), so an
 * approval never applies to a request other than the one seen.
 */
import type { Command } from 'commander';
import { call, connect, type GlobalOptions, type PageOptions, pageQuery, withGlobals, withPaging } from '../api.ts';
import { emit, printJson, printPage, time } from '../output.ts';

interface AnswerOptions extends GlobalOptions {
  readonly requestHash: string;
  readonly reason?: string;
}

export function addApprovalsCommand(program: Command): void {
  const approvals = program.command('approvals').description('jobs waiting for approval: list, approve, reject');

  withGlobals(
    withPaging(
      approvals.command('list').description('jobs waiting for approval, with the request hash to answer with'),
    ),
  ).action(async (options: GlobalOptions & PageOptions) => {
    const connection = connect(options);
    const page = await call(
      connection,
      connection.client.GET('/api/v1/approvals', {
        params: { query: { ...connection.tenantQuery, ...pageQuery(options) } },
      }),
    );
    if (options.json === true) return printJson(page);
    printPage(page, ['JOB ID', 'TOPIC', 'PRIORITY', 'REASON', 'EXPIRES', 'REQUEST HASH'], (a) => [
      a.job_id,
      a.topic,
      a.priority,
      a.reason,
      time(a.expires_at),
      a.request_hash,
    ]);
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
      emit(options.json, answer, `${answer.job_id} ${answer.state}`);
    });
  }
}
