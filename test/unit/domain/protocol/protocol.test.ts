/** ARCHITECTURE.md section 6: the worker protocol's subjects and message schemas. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  type DispatchMessage,
  type HeartbeatMessage,
  POOL_NAME_PATTERN,
  protocolSubjects,
  type ReportMessage,
  WORKER_ID_PATTERN,
} from '../../../../src/domain/protocol/messages.ts';
import { protocolSchemas } from '../../../../src/domain/protocol/schemas.ts';

describe('protocolSubjects', () => {
  it('puts every subject under the installation prefix', () => {
    const subjects = protocolSubjects('ctx');
    expect(subjects.directJobs('w-1')).toBe('ctx.worker.w-1.jobs');
    expect(subjects.workerCancel('w-1')).toBe('ctx.worker.w-1.cancel');
    expect(subjects.queueJobs('gpu', 'job.render.hd')).toBe('ctx.q.gpu.job.render.hd');
    expect(subjects.queueCancel('gpu')).toBe('ctx.q.gpu.cancel');
    expect(subjects.result(3)).toBe('ctx.sys.job.result.3');
    expect(subjects.progress(3)).toBe('ctx.sys.job.progress.3');
    expect(subjects.submit('acme')).toBe('ctx.sys.job.submit.acme');
    expect(subjects.due(0)).toBe('ctx.sys.job.due.0');
    expect(subjects.tenantFreed('acme')).toBe('ctx.sys.tenant.freed.acme');
  });
});

describe('protocol schemas', () => {
  const ajv = new Ajv2020({ allErrors: true });
  const validate = (name: keyof typeof protocolSchemas, message: unknown) =>
    ajv.validate(protocolSchemas[name], message);

  const dispatch: DispatchMessage = {
    job_id: 'job-1',
    tenant: 'acme',
    attempt: 1,
    token: 'tok',
    topic: 'job.default',
    payload: { n: 1 },
    priority: 'batch',
    labels: { region: 'eu' },
    trace_id: 'trace',
    partition: 0,
    result_subject: 'ctx.sys.job.result.0',
    progress_subject: 'ctx.sys.job.progress.0',
    dispatch_deadline: 1_000,
    running_ms: 60_000,
    deadline_at: null,
    env: {},
  };
  const heartbeat: HeartbeatMessage = {
    worker_id: 'w-1',
    instance: 'i-1',
    pool: 'default',
    topics: ['job.*'],
    active_jobs: 0,
    max_parallel_jobs: 4,
    capabilities: [],
    labels: {},
    cpu_load: 12.5,
    region: null,
    version: '1.0.0',
    started_at: 0,
    sent_at: 1,
  };
  const result: ReportMessage = {
    type: 'result',
    job_id: 'job-1',
    tenant: 'acme',
    attempt: 1,
    token: 'tok',
    worker_id: 'w-1',
    status: 'SUCCEEDED',
    result: { ok: true },
    result_ptr: null,
    execution_ms: 5,
    error_code: null,
    error_message: null,
    retryable: true,
    sent_at: 2,
  };

  it('compile under JSON Schema 2020-12 with distinct ids', () => {
    const ids = Object.values(protocolSchemas).map((schema) => {
      expect(() => ajv.compile(schema)).not.toThrow();
      return schema.$id;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('accept well-formed messages', () => {
    expect(validate('DispatchMessage', dispatch)).toBe(true);
    expect(validate('HeartbeatMessage', heartbeat)).toBe(true);
    expect(validate('ReportMessage', result)).toBe(true);
    expect(validate('ReportMessage', { ...result, type: 'started', status: undefined })).toBe(true);
    expect(validate('ProgressMessage', { job_id: 'j', tenant: 't', attempt: 1, token: 'x', worker_id: 'w' })).toBe(
      true,
    );
    expect(validate('StopMessage', { job_id: 'j', tenant: 't', attempt: 1, reason: 'cancelled' })).toBe(true);
    expect(validate('HandOffReply', { accepted: true, worker_id: 'w', started_at: null })).toBe(true);
    expect(validate('HandOffReply', { accepted: false, worker_id: 'w', reason: 'full' })).toBe(true);
  });

  it.each([
    ['DispatchMessage', { ...dispatch, attempt: 0 }],
    ['DispatchMessage', { ...dispatch, priority: 'urgent' }],
    ['DispatchMessage', { ...dispatch, labels: { region: 1 } }],
    ['DispatchMessage', { ...dispatch, deadline_at: -1 }],
    ['DispatchMessage', { ...dispatch, job_id: '' }],
    ['HeartbeatMessage', { ...heartbeat, worker_id: 'w.1' }],
    ['HeartbeatMessage', { ...heartbeat, pool: 'GPU' }],
    ['HeartbeatMessage', { ...heartbeat, max_parallel_jobs: 0 }],
    ['HeartbeatMessage', { ...heartbeat, cpu_load: 101 }],
    ['ReportMessage', { ...result, type: 'finished' }],
    ['ReportMessage', { ...result, sent_at: undefined }],
    ['HandOffReply', { accepted: true, worker_id: 'w', reason: 'full' }],
    ['StopMessage', { job_id: 'j', tenant: 't', attempt: 1 }],
  ] as const)('refuse a malformed %s (%#)', (name, message) => {
    expect(validate(name, message)).toBe(false);
  });

  it('check worker ids and pool names with the same patterns the code uses', () => {
    const properties = protocolSchemas.HeartbeatMessage.properties;
    expect(properties.worker_id.pattern).toBe(WORKER_ID_PATTERN.source);
    expect(properties.pool.pattern).toBe(POOL_NAME_PATTERN.source);
    expect(WORKER_ID_PATTERN.test('Worker_1-a')).toBe(true);
    expect(WORKER_ID_PATTERN.test('w.1')).toBe(false);
    expect(WORKER_ID_PATTERN.test('x'.repeat(65))).toBe(false);
    expect(POOL_NAME_PATTERN.test('gpu-2')).toBe(true);
    expect(POOL_NAME_PATTERN.test('GPU')).toBe(false);
  });
});
