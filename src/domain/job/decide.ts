/**
 * The job decider's entry point (ARCHITECTURE.md section 2): `decide(command, state)` returns at most one
 * event, a reason it changed nothing (with a stop for a worker that must not go on), or a DomainError.
 * Deterministic: everything it needs is in the command or the state.
 */
import type { JobCommand, JobDecisionResult } from './commands.ts';
import { decideApprove, decideReevaluate, decideReject } from './decide-approval.ts';
import { decideHandOff, decideProgress, decideReport } from './decide-attempt.ts';
import { decideArchive, decideCancel, decideSnapshot, decideTimers } from './decide-lifecycle.ts';
import { decideSchedule } from './decide-schedule.ts';
import { decidePreempt, decideSubmit } from './decide-submit.ts';
import type { JobState } from './state.ts';

export function decide(command: JobCommand, state: JobState): JobDecisionResult {
  switch (command.type) {
    case 'SubmitJob':
      return decideSubmit(command, state);
    case 'PreemptJob':
      return decidePreempt(command, state);
    case 'ScheduleJob':
      return decideSchedule(command, state);
    case 'RecordHandOff':
      return decideHandOff(command, state);
    case 'RecordReport':
      return decideReport(command, state);
    case 'RecordProgress':
      return decideProgress(command, state);
    case 'CheckTimers':
      return decideTimers(command, state);
    case 'CancelJob':
      return decideCancel(command, state);
    case 'ApproveJob':
      return decideApprove(command, state);
    case 'RejectJob':
      return decideReject(command, state);
    case 'ReevaluateSafety':
      return decideReevaluate(command, state);
    case 'TakeSnapshot':
      return decideSnapshot(command, state);
    case 'ArchiveJob':
      return decideArchive(command, state);
    default: {
      const unknownCommand: never = command;
      return unknownCommand;
    }
  }
}
