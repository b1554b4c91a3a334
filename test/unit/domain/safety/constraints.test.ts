import { describe, expect, it } from 'vitest';
import { constrainAttemptLimits } from '../../../../src/domain/safety/constraints.ts';

const limits = { dispatch_ms: 60_000, running_ms: 900_000, max_attempts: 5 };

describe('constrainAttemptLimits', () => {
  it('leaves the limits alone without constraints', () => {
    expect(constrainAttemptLimits(limits, null)).toBe(limits);
    expect(constrainAttemptLimits(limits, {})).toEqual(limits);
  });

  it('takes the stricter of constraint and config', () => {
    expect(constrainAttemptLimits(limits, { max_runtime_ms: 1000, max_retries: 1 })).toEqual({
      dispatch_ms: 60_000,
      running_ms: 1000,
      max_attempts: 2,
    });
    expect(constrainAttemptLimits(limits, { max_runtime_ms: 5_000_000, max_retries: 10 })).toEqual(limits);
  });

  it('reads max_retries: 0 as a single attempt', () => {
    expect(constrainAttemptLimits(limits, { max_retries: 0 }).max_attempts).toBe(1);
  });
});
