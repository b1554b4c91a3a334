/**
 * The commands that are HTTP clients of a running Coretex, one module per resource, each using the
 * shared options, client and error handling of `../api.ts` and the printing of `../output.ts`.
 * `workflows apply|list|run` and `runs list|get|cancel|approve|rerun` (SPEC 8) belong here too, as
 * `workflows.ts` and `runs.ts` registered in this list (being built separately).
 */
import type { Command } from 'commander';
import { addApprovalsCommand } from './approvals.ts';
import { addConfigCommand } from './config.ts';
import { addDlqCommand } from './dlq.ts';
import { addEventsCommand } from './events.ts';
import { addJobsCommand } from './jobs.ts';
import { addProjectionsCommand } from './projections.ts';
import { addWorkersCommand } from './workers.ts';

export function addApiCommands(program: Command): void {
  addJobsCommand(program);
  // workflows, runs: addWorkflowsCommand(program); addRunsCommand(program);
  addApprovalsCommand(program);
  addDlqCommand(program);
  addConfigCommand(program);
  addProjectionsCommand(program);
  addEventsCommand(program);
  addWorkersCommand(program);
}
