/**
 * SPEC 1.1, 2.1, 2.2: the exact shapes of ids (stream.test.ts has the properties: derived ids contain a
 * dot, step job ids parse back).
 */
import { describe, expect, it } from 'vitest';
import {
  busJobId,
  childStepJobId,
  dlqRetryJobId,
  isClientId,
  isDerivedId,
  isTenant,
  parseStepJobId,
  stepJobId,
  ULID_PATTERN,
} from '../../../../src/domain/shared/ids.ts';

describe('client ids and tenants', () => {
  it.each(['a', 'A-z_09', 'x'.repeat(64)])('accepts %s', (id) => {
    expect(isClientId(id)).toBe(true);
    expect(isTenant(id)).toBe(true);
    expect(isDerivedId(id)).toBe(false);
  });

  it.each(['', 'x'.repeat(65), 'a.b', 'a b', 'é', 'a/b'])('refuses %j', (id) => {
    expect(isClientId(id)).toBe(false);
    expect(isTenant(id)).toBe(false);
  });

  it('recognises ULIDs (Crockford base32, 26 characters)', () => {
    expect(ULID_PATTERN.test('01JABCDEFGHJKMNPQRSTVWXYZ0')).toBe(true);
    expect(ULID_PATTERN.test('01JABCDEFGHJKMNPQRSTVWXYZ')).toBe(false);
    expect(ULID_PATTERN.test('01JABCDEFGHJKMNPQRSTVWXYZI')).toBe(false);
  });
});

describe('derived ids', () => {
  it('builds each derived id in its documented shape', () => {
    expect(dlqRetryJobId('job-1', 2)).toBe('job-1.r2');
    expect(busJobId(17)).toBe('bus.17');
    expect(stepJobId('run-1', 'build', 3)).toBe('run-1.build.3');
    expect(childStepJobId('run-1', 'build', 4, 1)).toBe('run-1.build.4.1');
  });
});

describe('parseStepJobId', () => {
  it('reads a step job id and a fan-out child job id', () => {
    expect(parseStepJobId('run-1.build.3')).toEqual({ runId: 'run-1', stepId: 'build', index: null, n: 3 });
    expect(parseStepJobId('run-1.build.0.12')).toEqual({ runId: 'run-1', stepId: 'build', index: 0, n: 12 });
  });

  it.each([
    ['a client id', 'job-1'],
    ['a bus id', 'bus.17'],
    ['a DLQ retry', 'job-1.r2'],
    ['a DLQ retry of a step job', 'run-1.build.3.r1'],
    ['too many segments', 'run-1.build.0.1.2'],
    ['a step id with capitals', 'run-1.Build.3'],
    ['a bad run id', 'run 1.build.3'],
    ['an empty run id', '.build.3'],
    ['a leading zero', 'run-1.build.03'],
    ['a non-numeric child index', 'run-1.build.x.3'],
    ['a leading-zero child index', 'run-1.build.01.3'],
    ['a negative number', 'run-1.build.-1'],
  ])('refuses %s (%s)', (_, id) => {
    expect(parseStepJobId(id)).toBeNull();
  });
});
