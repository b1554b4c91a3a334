/**
 * Every command against an id no job has (SPEC 1.1, 1.8): operator and scheduler commands are a 404
 * (`job_not_found`); a worker's report or accept is ignored and its sender told to stop, since the worker
 * must not run what Coretex does not know; a refused hand-off is a 404 like the operator commands.
 */
import { describe, it } from 'vitest';
import type { JobCommand } from '../../../../src/domain/job/commands.ts';
import {
  accepted,
  approve,
  archive,
  cancel,
  handOff,
  jobSpec,
  progress,
  reevaluate,
  reject,
  report,
  safety,
  schedule,
  started,
  takeSnapshot,
  timers,
  T0,
} from '../../../support/job-fixtures.ts';

describe('a command for an unknown job', () => {
  it.each<[string, JobCommand]>([
    ['ScheduleJob', schedule()],
    ['CheckTimers', timers(T0)],
    ['CancelJob', cancel()],
    ['ApproveJob', approve()],
    ['RejectJob', reject()],
    ['ReevaluateSafety', reevaluate(safety('ALLOW', { policy_version: 'rules-v2' }))],
    ['TakeSnapshot', takeSnapshot()],
    ['ArchiveJob', archive()],
    ['RecordHandOff (refused)', handOff({ kind: 'refused', worker_id: 'w1' })],
    ['RecordHandOff (no responders)', handOff({ kind: 'no_responders' })],
  ])('%s is refused as job_not_found', (_label, command) => {
    jobSpec.given([]).when(command).then({ error: 'NotFoundError', code: 'job_not_found' });
  });

  it.each<[string, JobCommand]>([
    ['an accepted hand-off', accepted('w1')],
    ['a started notice', started()],
    ['a result', report()],
    ['a progress report', progress()],
  ])('%s is ignored and its sender told to stop', (_label, command) => {
    jobSpec
      .given([])
      .when(command)
      .then({ ignored: 'unknown_job', stop: { kind: 'worker', worker_id: 'w1', attempt: 1 } });
  });
});
