/**
 * SPEC 1.1: `validateSubmission` on its own, field by field. Every limit is checked at its edge (at the
 * limit is accepted, one past it refused), `null` reads as "absent" (JSON clients send it), a value of
 * the wrong type is refused naming its field, and the message (the problem+json `detail`) says what the
 * rule is. submit.test.ts has the decider's view (the event a submission records).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../src/domain/shared/errors.ts';
import type { JobRequest } from '../../../../src/domain/job/request.ts';
import type {
  IdSource,
  JobSubmissionInput,
  SubmissionContext,
  SubmissionLimits,
} from '../../../../src/domain/job/submission.ts';
import {
  DEFAULT_RETRY_POLICY,
  DEFAULT_SUBMISSION_LIMITS,
  validateSubmission,
} from '../../../../src/domain/job/submission.ts';
import { T0, TENANT, TRACE } from '../../../support/job-fixtures.ts';

/** Small limits, so each edge is cheap to reach and easy to read. */
const LIMITS: SubmissionLimits = {
  max_payload_bytes: 100,
  max_labels: 3,
  max_label_key_length: 8,
  max_label_value_length: 10,
  max_list_entries: 2,
  max_text_length: 12,
  max_attempts: 5,
  max_backoff_ms: 1_000,
  max_timeout_ms: 2_000,
  max_deadline_ms: 3_000,
  max_run_at_ahead_ms: 4_000,
};

/** Configured retry defaults within LIMITS. */
const DEFAULTS = { ...DEFAULT_RETRY_POLICY, initial_backoff_ms: 100, max_backoff_ms: 1_000 };

function context(over: Partial<SubmissionContext> = {}): SubmissionContext {
  return {
    tenant: TENANT,
    job_id: 'job-1',
    id_source: 'client',
    now: T0,
    fresh_trace_id: TRACE,
    defaults: DEFAULTS,
    limits: LIMITS,
    ...over,
  };
}

function accepted(input: JobSubmissionInput, over: Partial<SubmissionContext> = {}): JobRequest {
  const result = validateSubmission(input, context(over));
  if (result instanceof ValidationError) throw new Error(`refused ${result.field}: ${result.message}`);
  return result;
}

function refused(input: JobSubmissionInput, over: Partial<SubmissionContext> = {}): ValidationError {
  const result = validateSubmission(input, context(over));
  expect(result, 'expected a ValidationError').toBeInstanceOf(ValidationError);
  const error = result as ValidationError;
  expect(error.message, 'the detail explains the rule').not.toBe('');
  return error;
}

const text = (length: number) => 'x'.repeat(length);
const entries = (n: number, value = 'v') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`K${i}`, value]));

describe('absent and null fields', () => {
  it('reads null as absent for every optional field', () => {
    const nulls: JobSubmissionInput = {
      topic: null,
      priority: null,
      team: null,
      principal: null,
      labels: null,
      requires: null,
      capability: null,
      risk_tags: null,
      idempotency_key: null,
      trace_id: null,
      run_at: null,
      deadline_ms: null,
      retry: null,
      timeouts: null,
      step: null,
      retry_of: null,
      env: null,
    };
    expect(accepted(nulls)).toEqual(accepted({}));
    expect(accepted({})).toMatchObject({
      topic: 'job.default',
      priority: 'batch',
      labels: {},
      requires: [],
      risk_tags: [],
      trace_id: TRACE,
      retry: DEFAULTS,
      timeouts: { dispatch_ms: null, running_ms: null },
      step: null,
      env: {},
    });
  });

  it('keeps a null payload and writes an absent one as null', () => {
    expect(accepted({ payload: null }).payload).toBeNull();
    expect(accepted({}).payload).toBeNull();
  });
});

describe('text fields', () => {
  const fields = ['team', 'principal', 'capability', 'idempotency_key', 'trace_id'] as const;

  it.each(fields)('%s: 1 to max_text_length characters', (field) => {
    expect(accepted({ [field]: 'a' })[field]).toBe('a');
    expect(accepted({ [field]: text(12) })[field]).toBe(text(12));
    for (const bad of ['', text(13), 7, ['a'], { a: 1 }]) {
      const error = refused({ [field]: bad });
      expect(error).toMatchObject({ field, code: 'invalid_field' });
      expect(error.message).toContain('12');
    }
  });

  it('retry_of: a derived id of at most 255 characters, on derived ids only', () => {
    const derived = { job_id: 'job-1.r1', id_source: 'derived' as const };
    expect(accepted({ retry_of: text(255) }, derived).retry_of).toBe(text(255));
    expect(refused({ retry_of: text(256) }, derived)).toMatchObject({ field: 'retry_of', code: 'invalid_field' });
    expect(refused({ retry_of: '' }, derived)).toMatchObject({ field: 'retry_of' });
    for (const source of ['client', 'generated'] as const) {
      const jobId = source === 'client' ? 'job-1' : '01HZX3K9Q4V6T8W2Y5B7C9D1EF';
      expect(refused({ retry_of: 'job-1' }, { job_id: jobId, id_source: source })).toMatchObject({
        field: 'retry_of',
        code: 'not_allowed',
      });
    }
  });
});

describe('ids and tenant', () => {
  it('a derived id is at most 255 characters', () => {
    const id255 = `${text(251)}.r11`;
    expect(id255).toHaveLength(255);
    expect(accepted({}, { job_id: id255, id_source: 'derived' }).job_id).toBe(id255);
    expect(refused({}, { job_id: `${id255}1`, id_source: 'derived' })).toMatchObject({ field: 'job_id' });
  });

  it.each<[string, IdSource]>([
    ['bad id', 'client'],
    ['not-a-ulid', 'generated'],
    ['plain', 'derived'],
  ])('refuses %j as a %s id with the invalid_field code', (jobId, source) => {
    expect(refused({}, { job_id: jobId, id_source: source })).toMatchObject({ field: 'job_id', code: 'invalid_field' });
  });

  it('refuses a tenant outside the tenant pattern', () => {
    expect(refused({}, { tenant: '' })).toMatchObject({ field: 'tenant', code: 'invalid_field' });
  });
});

describe('topic and priority', () => {
  it('takes a topic of up to 255 characters', () => {
    const topic255 = `job.${text(251)}`;
    expect(accepted({ topic: topic255 }).topic).toBe(topic255);
    expect(refused({ topic: `${topic255}x` })).toMatchObject({ field: 'topic', code: 'invalid_field' });
  });

  it('refuses a topic that is not a string even when it reads as one', () => {
    expect(refused({ topic: ['job.images'] })).toMatchObject({ field: 'topic' });
  });

  it('names the priorities in its refusal', () => {
    expect(refused({ priority: 2 }).message).toContain('critical, interactive, batch');
  });
});

describe('payload', () => {
  it('refuses what has no JSON form, naming the payload', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [cyclic, { big: 1n }, () => 1, Symbol('s')]) {
      expect(refused({ payload: bad })).toMatchObject({ field: 'payload', code: 'invalid_field' });
    }
  });

  it('says how big the payload is and what the limit is', () => {
    const error = refused({ payload: text(99) });
    expect(error).toMatchObject({ field: 'payload', code: 'payload_too_large' });
    expect(error.message).toContain('101 bytes');
    expect(error.message).toContain('100');
  });
});

describe('labels and env', () => {
  it('labels: up to max_labels keys of 1 to max_label_key_length characters, string values up to the limit', () => {
    expect(accepted({ labels: entries(3) }).labels).toEqual(entries(3));
    expect(accepted({ labels: { [text(8)]: text(10) } }).labels).toEqual({ [text(8)]: text(10) });
    const tooMany = refused({ labels: entries(4) });
    expect(tooMany).toMatchObject({ field: 'labels', code: 'too_many_labels' });
    expect(tooMany.message).toContain('3');
    expect(refused({ labels: { '': 'v' } })).toMatchObject({ field: 'labels' });
    expect(refused({ labels: { [text(9)]: 'v' } }).message).toContain('8');
    const long = refused({ labels: { zone: text(11) } });
    expect(long).toMatchObject({ field: 'labels.zone' });
    expect(long.message).toContain('10');
    expect(refused({ labels: 'zone=a' })).toMatchObject({ field: 'labels' });
  });

  it('env: up to max_list_entries variables, names up to max_text_length, string values up to the limit', () => {
    expect(accepted({ env: entries(2, text(10)) }).env).toEqual(entries(2, text(10)));
    expect(accepted({ env: { [`A${text(11)}`]: 'v' } }).env).toEqual({ [`A${text(11)}`]: 'v' });
    const tooMany = refused({ env: entries(3) });
    expect(tooMany).toMatchObject({ field: 'env' });
    expect(tooMany.message).toContain('2');
    expect(refused({ env: { [`A${text(12)}`]: 'v' } })).toMatchObject({ field: 'env' });
    expect(refused({ env: { '1A': 'v' } }).message).toContain('1A');
    const long = refused({ env: { HOME: text(11) } });
    expect(long).toMatchObject({ field: 'env.HOME' });
    expect(long.message).toContain('10');
    expect(refused({ env: { HOME: 1 } })).toMatchObject({ field: 'env.HOME' });
    for (const bad of ['A=1', '', 5, ['A=1']]) {
      const error = refused({ env: bad });
      expect(error).toMatchObject({ field: 'env' });
      expect(error.message).toContain('object');
    }
  });

  it.each(['requires', 'risk_tags'] as const)(
    '%s: up to max_list_entries non-empty strings of at most max_text_length',
    (field) => {
      expect(accepted({ [field]: ['a', text(12)] })[field]).toEqual(['a', text(12)]);
      const tooMany = refused({ [field]: ['a', 'b', 'c'] });
      expect(tooMany).toMatchObject({ field });
      expect(tooMany.message).toContain('2');
      const long = refused({ [field]: [text(13)] });
      expect(long).toMatchObject({ field });
      expect(long.message).toContain('12');
      expect(refused({ [field]: { a: 'b' } }).message).toContain(field);
    },
  );
});

describe('times', () => {
  it('run_at: a whole epoch time from 0 to max_run_at_ahead_ms from now', () => {
    expect(accepted({ run_at: 0 }).run_at).toBe(0);
    expect(accepted({ run_at: T0 + 4_000 }).run_at).toBe(T0 + 4_000);
    const ahead = refused({ run_at: T0 + 4_001 });
    expect(ahead).toMatchObject({ field: 'run_at', code: 'out_of_range' });
    expect(ahead.message).toContain('4000');
    expect(refused({ run_at: -1 })).toMatchObject({ field: 'run_at', code: 'invalid_field' });
    expect(refused({ run_at: 1.5 })).toMatchObject({ field: 'run_at' });
  });

  it('deadline_ms and timeouts: whole milliseconds from 1 to their bound', () => {
    expect(accepted({ deadline_ms: 3_000 }).deadline_ms).toBe(3_000);
    const over = refused({ deadline_ms: 3_001 });
    expect(over).toMatchObject({ field: 'deadline_ms', code: 'out_of_range' });
    expect(over.message).toContain('3000');
    expect(accepted({ timeouts: { dispatch_ms: 2_000, running_ms: 1 } }).timeouts).toEqual({
      dispatch_ms: 2_000,
      running_ms: 1,
    });
    expect(refused({ timeouts: { dispatch_ms: 2_001 } })).toMatchObject({ field: 'timeouts.dispatch_ms' });
    expect(refused({ timeouts: 5_000 })).toMatchObject({ field: 'timeouts', code: 'invalid_field' });
  });
});

describe('retry', () => {
  const retry = (over: Record<string, unknown>) => ({ retry: { ...over } });

  it('accepts every field at its bounds', () => {
    const edge = { max_attempts: 5, initial_backoff_ms: 1_000, max_backoff_ms: 1_000, multiplier: 100, jitter: 1 };
    expect(accepted(retry(edge)).retry).toEqual(edge);
    const low = { max_attempts: 1, initial_backoff_ms: 0, max_backoff_ms: 0, multiplier: 1, jitter: 0 };
    expect(accepted(retry(low)).retry).toEqual(low);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['max_attempts over the cap', { max_attempts: 6 }, 'retry.max_attempts'],
    ['initial backoff over the cap', { initial_backoff_ms: 1_001, max_backoff_ms: 1_000 }, 'retry.initial_backoff_ms'],
    ['max backoff over the cap', { max_backoff_ms: 1_001 }, 'retry.max_backoff_ms'],
    ['a negative max backoff', { initial_backoff_ms: 0, max_backoff_ms: -1 }, 'retry.max_backoff_ms'],
    ['a fractional max backoff', { max_backoff_ms: 999.5 }, 'retry.max_backoff_ms'],
    ['a textual max backoff', { max_backoff_ms: '1000' }, 'retry.max_backoff_ms'],
    ['max backoff under initial', { initial_backoff_ms: 600, max_backoff_ms: 500 }, 'retry.max_backoff_ms'],
    ['a multiplier over 100', { multiplier: 101 }, 'retry.multiplier'],
    ['a NaN multiplier', { multiplier: Number.NaN }, 'retry.multiplier'],
    ['a textual multiplier', { multiplier: '2' }, 'retry.multiplier'],
    ['a textual jitter', { jitter: '0.5' }, 'retry.jitter'],
    ['a NaN jitter', { jitter: Number.NaN }, 'retry.jitter'],
  ])('refuses %s as out_of_range, saying the bound', (_label, over, field) => {
    const error = refused(retry({ max_backoff_ms: 1_000, ...over }));
    expect(error).toMatchObject({ field, code: 'out_of_range' });
  });

  it('says the bounds in its messages', () => {
    expect(refused(retry({ max_attempts: 6 })).message).toContain('5');
    expect(refused(retry({ initial_backoff_ms: 1_001 })).message).toContain('1000');
    expect(refused(retry({ max_backoff_ms: 1_001 })).message).toContain('1000');
    expect(refused(retry({ initial_backoff_ms: 0, max_backoff_ms: -1 })).message).toContain('0 to 1000');
    expect(refused(retry({ initial_backoff_ms: 600, max_backoff_ms: 500 })).message).toContain('initial_backoff_ms');
    expect(refused(retry({ multiplier: 101 })).message).toContain('100');
    expect(refused(retry({ jitter: 2 })).message).toContain('0 to 1');
  });

  it('refuses a retry that is not an object', () => {
    for (const bad of ['3x', 3, [1]]) expect(refused({ retry: bad })).toMatchObject({ field: 'retry' });
  });
});

describe('step reference', () => {
  const stepJob = { job_id: 'run-1.build.1', id_source: 'derived' as const };
  const childJob = { job_id: 'run-1.build.2.1', id_source: 'derived' as const };
  const ref = (over: Record<string, unknown> = {}) => ({
    step: { workflow_id: 'wf-1', run_id: 'run-1', step_id: 'build', ...over },
  });

  it('keeps the reference of a step job and of a fan-out child, item included', () => {
    expect(accepted(ref(), stepJob).step).toEqual({
      workflow_id: 'wf-1',
      run_id: 'run-1',
      step_id: 'build',
      foreach_index: null,
      foreach_item: null,
    });
    expect(accepted(ref({ foreach_index: 2, foreach_item: 'b' }), childJob).step).toMatchObject({
      foreach_index: 2,
      foreach_item: 'b',
    });
    expect(accepted(ref({ foreach_index: 2, foreach_item: 0 }), childJob).step?.foreach_item).toBe(0);
    expect(accepted(ref({ workflow_id: text(256) }), stepJob).step?.workflow_id).toBe(text(256));
  });

  it('refuses a reference that is not an object, and text fields that are missing, empty, too long or not text', () => {
    expect(refused({ step: 'build' }, stepJob)).toMatchObject({ field: 'step', code: 'invalid_field' });
    for (const bad of [undefined, '', text(257), 5]) {
      expect(refused(ref({ workflow_id: bad }), stepJob)).toMatchObject({ field: 'step.workflow_id' });
    }
  });

  it('refuses a reference to another step of the run', () => {
    const error = refused(ref({ step_id: 'test' }), stepJob);
    expect(error).toMatchObject({ field: 'step', code: 'mismatch' });
    expect(error.message).toContain('run-1.build.1');
  });

  it('refuses a fan-out index that is not a whole number or disagrees with the id', () => {
    for (const bad of [-1, 1.5, '2']) {
      expect(refused(ref({ foreach_index: bad }), childJob)).toMatchObject({
        field: 'step.foreach_index',
        code: 'invalid_field',
      });
    }
    for (const [index, job] of [
      [3, childJob],
      [null, childJob],
      [0, stepJob],
    ] as const) {
      expect(refused(ref({ foreach_index: index }), job)).toMatchObject({
        field: 'step.foreach_index',
        code: 'mismatch',
      });
    }
  });

  it('requires the reference of a step job id and refuses one elsewhere, with distinct codes', () => {
    expect(refused({ step: null }, stepJob)).toMatchObject({ field: 'step', code: 'required' });
    expect(refused(ref(), { job_id: 'job-1.r1', id_source: 'derived' })).toMatchObject({
      field: 'step',
      code: 'not_allowed',
    });
  });
});

describe('errors that are not validation errors', () => {
  it('surface as thrown bugs rather than as a refusal', () => {
    const input: JobSubmissionInput = {
      get labels(): unknown {
        throw new RangeError('broken getter');
      },
    };
    expect(() => validateSubmission(input, context())).toThrow(RangeError);
  });

  it('the default limits are the documented ones', () => {
    expect(DEFAULT_SUBMISSION_LIMITS).toMatchObject({ max_payload_bytes: 262_144, max_labels: 50, max_attempts: 100 });
  });
});
