/** The job aggregate's repository: the generic load → decide → append loop with the job decider. */
import type { JobCommand, JobDecision } from '../../domain/job/commands.ts';
import { decide } from '../../domain/job/decide.ts';
import type { JobEvent } from '../../domain/job/events.ts';
import { evolve } from '../../domain/job/evolve.ts';
import type { JobState } from '../../domain/job/state.ts';
import { isTerminalState, NO_JOB } from '../../domain/job/state.ts';
import {
  AggregateRepository,
  type Decider,
  type Executed,
  type Loaded,
  type Metadata,
} from '../aggregate-repository.ts';
import type { StreamId } from '../../domain/shared/stream.ts';
import type { Clock, EventStore } from '../ports.ts';

export const jobDecider: Decider<JobState, JobEvent> = {
  initial: NO_JOB,
  evolve,
  isFinished: isTerminalState,
  envelopeOf: (event) => ({
    trace_id: event.data.keys.trace_id,
    correlation_id: event.data.keys.run_id ?? event.data.keys.job_id,
  }),
  startsHistory: (event) => event.type === 'JobSnapshot',
};

export type LoadedJob = Loaded<JobState>;
export type JobRepository = AggregateRepository<JobState, JobEvent>;

export function jobRepository(events: EventStore, clock: Clock, options: { maxCached?: number } = {}): JobRepository {
  return new AggregateRepository(events, clock, jobDecider, options);
}

export type ExecutedJob = Executed<JobState, JobDecision>;

/**
 * Decides a job command on the job's current state and appends the outcome. `command` is built per
 * try (a retry after a conflict gets a fresh `now`).
 */
export function executeJob(
  jobs: JobRepository,
  stream: StreamId,
  command: (job: LoadedJob) => JobCommand,
  meta: Metadata,
): Promise<ExecutedJob | Error> {
  return jobs.execute<JobDecision>(stream, (job) => decide(command(job), job.state), meta);
}
