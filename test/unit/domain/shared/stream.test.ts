import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPositionToken, loadStartOf, parsePositionToken } from '../../../../src/domain/shared/events.ts';
import {
  busJobId,
  childStepJobId,
  dlqRetryJobId,
  isClientId,
  isDerivedId,
  parseStepJobId,
  stepJobId,
} from '../../../../src/domain/shared/ids.ts';
import {
  AGGREGATE_TYPES,
  fnv1a32,
  formatStreamId,
  jobKindOf,
  parseStreamId,
  parseStreamToken,
  partitionOf,
  streamId,
  streamToken,
} from '../../../../src/domain/shared/stream.ts';

const tenant = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const clientId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const stepId = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,47}$/);
const anyId = fc.string({ minLength: 1, maxLength: 200, unit: 'binary' });

describe('stream tokens', () => {
  it('round-trip any tenant and id, and only use subject- and key-safe characters', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AGGREGATE_TYPES), tenant, anyId, (type, t, id) => {
        const token = streamToken(streamId(type, t, id));
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(parseStreamToken(type, token)).toEqual({ type, tenant: t, id });
      }),
    );
  });

  it('differ for the same id under different tenants', () => {
    fc.assert(
      fc.property(tenant, tenant, clientId, (a, b, id) => {
        fc.pre(a !== b);
        expect(streamToken(streamId('job', a, id))).not.toBe(streamToken(streamId('job', b, id)));
      }),
    );
  });

  it('rejects tokens that are not base64url', () => {
    expect(parseStreamToken('job', 'a.b')).toBeNull();
    expect(parseStreamToken('job', 'A')).toBeNull();
  });

  it('rejects a valid token with anything appended, rather than reading past it', () => {
    fc.assert(
      fc.property(tenant, clientId, fc.constantFrom('A', 'AAAAA', '..', 'A.', '=', ' '), (t, id, extra) => {
        const token = streamToken(streamId('job', t, id));
        // A token's length is never 1 mod 4, and its alphabet has no '.', '=' or ' '.
        fc.pre(extra === 'A' || extra === 'AAAAA' ? (token.length + extra.length) % 4 === 1 : true);
        expect(parseStreamToken('job', `${token}${extra}`)).toBeNull();
      }),
    );
  });

  it('rejects a token whose text has no tenant separator', () => {
    const noColon = Buffer.from('acme-job-1', 'utf8').toString('base64url');
    expect(parseStreamToken('job', noColon)).toBeNull();
  });

  it('round-trip an empty tenant or id too (the token encodes text, it does not validate it)', () => {
    expect(parseStreamToken('job', streamToken(streamId('job', '', 'x')))).toEqual({
      type: 'job',
      tenant: '',
      id: 'x',
    });
    expect(parseStreamToken('job', streamToken(streamId('job', 'acme', '')))).toEqual({
      type: 'job',
      tenant: 'acme',
      id: '',
    });
  });
});

describe('stream ids', () => {
  it('format and parse round-trip, including ids with colons (config scopes)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AGGREGATE_TYPES), tenant, anyId, (type, t, id) => {
        expect(parseStreamId(formatStreamId(streamId(type, t, id)))).toEqual({ type, tenant: t, id });
      }),
    );
    expect(parseStreamId('config:acme:acme:team-a')).toEqual({ type: 'config', tenant: 'acme', id: 'acme:team-a' });
    expect(parseStreamId('nope:acme:x')).toBeNull();
    expect(parseStreamId('job')).toBeNull();
    // Without both separators there is no stream id, even when a prefix reads as a type.
    expect(parseStreamId('jobs')).toBeNull();
    expect(parseStreamId('job:acme')).toBeNull();
  });
});

describe('partitions', () => {
  it('are in range and stable', () => {
    fc.assert(
      fc.property(tenant, anyId, fc.integer({ min: 1, max: 1024 }), (t, id, p) => {
        const s = streamId('run', t, id);
        const partition = partitionOf(s, p);
        expect(partition).toBeGreaterThanOrEqual(0);
        expect(partition).toBeLessThan(p);
        expect(partitionOf(s, p)).toBe(partition);
      }),
    );
  });

  it('put a workflow step job in its run partition', () => {
    fc.assert(
      fc.property(
        tenant,
        clientId,
        stepId,
        fc.nat(1000),
        fc.option(fc.nat(1000), { nil: undefined }),
        (t, run, step, n, i) => {
          const jobId = i === undefined ? stepJobId(run, step, n) : childStepJobId(run, step, i, n);
          expect(partitionOf(streamId('job', t, jobId), 16)).toBe(partitionOf(streamId('run', t, run), 16));
          expect(jobKindOf(jobId)).toBe('w');
        },
      ),
    );
  });

  it('only for job streams: any other stream hashes its own id, even one shaped like a step job id', () => {
    const id = 'run-1.build.1';
    for (const type of ['run', 'dlq', 'workflow', 'config', 'op'] as const) {
      expect(partitionOf(streamId(type, 'acme', id), 1024)).toBe(fnv1a32(`acme:${id}`) % 1024);
    }
    expect(partitionOf(streamId('job', 'acme', id), 1024)).toBe(fnv1a32('acme:run-1') % 1024);
    expect(fnv1a32(`acme:${id}`) % 1024).not.toBe(fnv1a32('acme:run-1') % 1024);
  });

  it('spread ids over partitions', () => {
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[partitionOf(streamId('job', 'acme', `job-${i}`), 16)]++;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('use FNV-1a (stable across runtimes)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('ids', () => {
  it('no client id parses as a step job id or is derived', () => {
    fc.assert(
      fc.property(clientId, (id) => {
        expect(isClientId(id)).toBe(true);
        expect(isDerivedId(id)).toBe(false);
        expect(parseStepJobId(id)).toBeNull();
        expect(jobKindOf(id)).toBe('a');
      }),
    );
  });

  it('derived ids contain a dot, so no client can take them first', () => {
    fc.assert(
      fc.property(clientId, stepId, fc.nat(), fc.nat(), (id, step, n, seq) => {
        for (const derived of [dlqRetryJobId(id, n + 1), busJobId(seq), stepJobId(id, step, n)]) {
          expect(isDerivedId(derived)).toBe(true);
          expect(isClientId(derived)).toBe(false);
        }
      }),
    );
  });

  it('DLQ retries and bus ids are ad-hoc jobs, even retries of retries', () => {
    fc.assert(
      fc.property(
        clientId,
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 99 }),
        fc.nat(),
        (id, a, b, seq) => {
          expect(parseStepJobId(dlqRetryJobId(id, a))).toBeNull();
          expect(parseStepJobId(dlqRetryJobId(dlqRetryJobId(id, a), b))).toBeNull();
          expect(parseStepJobId(busJobId(seq))).toBeNull();
          expect(parseStepJobId(dlqRetryJobId(busJobId(seq), a))).toBeNull();
        },
      ),
    );
  });

  it('parse step job ids back to their parts', () => {
    fc.assert(
      fc.property(clientId, stepId, fc.nat(), fc.nat(), (run, step, i, n) => {
        expect(parseStepJobId(stepJobId(run, step, n))).toEqual({ runId: run, stepId: step, index: null, n });
        expect(parseStepJobId(childStepJobId(run, step, i, n))).toEqual({ runId: run, stepId: step, index: i, n });
      }),
    );
    expect(parseStepJobId('run.Step.1')).toBeNull();
    expect(parseStepJobId('run.step.01')).toBeNull();
    expect(parseStepJobId('run.step.x.1')).toBeNull();
    expect(parseStepJobId('a.b.c.d.1')).toBeNull();
  });
});

describe('position tokens', () => {
  it('round-trip and reject anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...AGGREGATE_TYPES), fc.nat({ max: Number.MAX_SAFE_INTEGER }), (stream, position) => {
        expect(parsePositionToken(formatPositionToken({ stream, position }))).toEqual({ stream, position });
      }),
    );
    for (const bad of ['', 'job', 'job:', 'job:-1', 'job:01', 'jobs:1', 'job:1.5', 'job:1:2', 'job: 1']) {
      expect(parsePositionToken(bad)).toBeNull();
    }
  });

  it('loadStartOf uses first_position, or the event itself when it starts the history', () => {
    const base = { first_position: 0, position: 42 } as Parameters<typeof loadStartOf>[0];
    expect(loadStartOf(base)).toBe(42);
    expect(loadStartOf({ ...base, first_position: 7 })).toBe(7);
  });
});
