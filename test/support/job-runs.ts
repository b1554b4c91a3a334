/**
 * Generated runs: a submission and a list of steps played against the decider alone (no model), each
 * step aimed at the job as it then is. Properties look at the states and history a run went through.
 */
import fc from 'fast-check';
import type { JobCommand } from '../../src/domain/job/commands.ts';
import { decide } from '../../src/domain/job/decide.ts';
import type { JobEvent } from '../../src/domain/job/events.ts';
import { evolve, fold } from '../../src/domain/job/evolve.ts';
import type { JobState } from '../../src/domain/job/state.ts';
import { NO_JOB } from '../../src/domain/job/state.ts';
import type { JobSubmissionInput } from '../../src/domain/job/submission.ts';
import { arbStep, arbSubmission, commandOf, type Step } from './job-arbitraries.ts';
import { submit, T0 } from './job-fixtures.ts';

export interface Run {
  readonly states: JobState[];
  readonly history: JobEvent[];
  /** Every command decided, with the state it was decided on. */
  readonly decided: Array<{ readonly command: JobCommand; readonly state: JobState }>;
}

/** Plays steps against the decider alone, aiming each at the job as it is. */
export function play(input: JobSubmissionInput, steps: readonly Step[]): Run {
  const first = decide(submit(input), NO_JOB);
  if (first instanceof Error) throw first;
  const history: JobEvent[] = [...first.events];
  let state = fold(history);
  const states = [state];
  const decided: Run['decided'] = [];
  const tokens: string[] = [];
  let now = T0;
  for (const step of steps) {
    if (step.kind === 'tick') now += step.ms;
    if (step.kind === 'jump_to_due' && state.status !== 'NONE' && state.due_at !== null)
      now = Math.max(now, state.due_at);
    const inFlight = 'token' in state ? state : null;
    const command = commandOf(
      step,
      {
        now,
        currentToken: inFlight?.token ?? tokens.at(-1) ?? null,
        previousToken: tokens.at(inFlight === null ? -1 : -2) ?? null,
        attempt: inFlight?.attempt ?? ('attempts' in state ? state.attempts : 0),
        holder: inFlight === null ? null : (inFlight.worker_id ?? null),
        approval:
          state.status === 'APPROVAL_REQUIRED'
            ? { policy: state.approval_request.safety.policy_version, hash: state.approval_request.request_hash }
            : null,
      },
      `tok-${tokens.length + 1}`,
    );
    if (command === null) continue;
    decided.push({ command, state });
    const result = decide(command, state);
    if (result instanceof Error) continue;
    for (const event of result.events) {
      if (event.type === 'JobScheduled') tokens.push(event.data.token);
      history.push(event);
      state = evolve(state, event);
      states.push(state);
    }
  }
  return { states, history, decided };
}

export const arbRun: fc.Arbitrary<Run> = fc
  .tuple(arbSubmission, fc.array(arbStep, { maxLength: 60, size: 'max' }))
  .map(([input, steps]) => play(input, steps));
