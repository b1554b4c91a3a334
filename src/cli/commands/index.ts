/**
 * The commands that are HTTP clients of a running Coretex, one module per resource, each using the
 * shared options, client and error handling of `../api.ts`, the printing of `../output.ts`, and
 * `../follow.ts` for following a job or a run to its end.
 */
import type { Command } from 'commander';
import { addApprovalsCommand } from './approvals.ts';
import { addConfigCommand } from './config.ts';
import { addDlqCommand } from './dlq.ts';
import { addEventsCommand } from './events.ts';
import { addJobsCommand } from './jobs.ts';
import { addProjectionsCommand } from './projections.ts';
import { addRunsCommand } from './runs.ts';
import { addWorkersCommand } from './workers.ts';
import { addWorkflowsCommand } from './workflows.ts';

export function addApiCommands(program: Command): void {
  addJobsCommand(program);
  addWorkflowsCommand(program);
  addRunsCommand(program);
  addApprovalsCommand(program);
  addDlqCommand(program);
  addConfigCommand(program);
  addProjectionsCommand(program);
  addEventsCommand(program);
  addWorkersCommand(program);
}
