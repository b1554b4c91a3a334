/**
 * `GET /api/v1/jobs` (SPEC 1.11, 1.12) over the `jobs` read model built by the in-process runner from
 * real appended events: tenant scoping, filters, cursor pages, `min_position` waits and 503, and the
 * 400/401/404 answers — through the typed client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPositionToken } from '../../src/domain/shared/events.ts';
import { streamId } from '../../src/domain/shared/stream.ts';
import { syntheticJobSubmitted } from '../support/synthetic-jobs.ts';
import type { ProblemBody } from './support/answers.ts';
import { type Backend, type RunningApi, startApi } from './support/harness.ts';

describe.each<Backend>(['embedded', 'nats+redis'])('job list on %s', (backend) => {
  let api: RunningApi;
  let lastPosition = 0;
  const base = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    api = await startApi({ backend });
    const jobs = [
      ...Array.from({ length: 7 }, (_, i) => ({
        jobId: `a${i}`,
        tenant: 'acme',
        createdAt: base + i,
        team: i < 3 ? 'red' : null,
      })),
      ...Array.from({ length: 2 }, (_, i) => ({
        jobId: `g${i}`,
        tenant: 'globex',
        createdAt: base + 100 + i,
        topic: 'job.mail',
      })),
    ];
    for (const job of jobs) {
      const event = syntheticJobSubmitted(job);
      const result = await api.events.append(
        streamId('job', job.tenant, job.jobId),
        { ...event, time: new Date(job.createdAt).toISOString(), actor: 'test' },
        { expectedPosition: 0, firstPosition: 0 },
      );
      lastPosition = result.position;
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it('lists the caller’s tenant only, newest first, and waits for min_position', async () => {
    const { data, response } = await api.client('acmeViewer').GET('/api/v1/jobs', {
      params: { query: { min_position: formatPositionToken({ stream: 'job', position: lastPosition }) } },
    });
    expect(response.status).toBe(200);
    expect(data?.items.map((job) => job.job_id)).toEqual(['a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0']);
    expect(data?.items[0]).toMatchObject({
      tenant: 'acme',
      state: 'PENDING',
      topic: 'job.default',
      labels: { source: 'synthetic' },
    });
    expect(data?.next_cursor).toBeNull();
  });

  it('pages with the cursor and filters by team and state; a * key sees every tenant', async () => {
    const client = api.client('acmeViewer');
    const first = await client.GET('/api/v1/jobs', { params: { query: { limit: 4 } } });
    expect(first.data?.items.map((job) => job.job_id)).toEqual(['a6', 'a5', 'a4', 'a3']);
    const cursor = first.data?.next_cursor ?? undefined;
    expect(cursor).toBeDefined();
    const second = await client.GET('/api/v1/jobs', {
      params: { query: { limit: 4, ...(cursor === undefined ? {} : { cursor }) } },
    });
    expect(second.data?.items.map((job) => job.job_id)).toEqual(['a2', 'a1', 'a0']);
    expect(second.data?.next_cursor).toBeNull();
    const team = await client.GET('/api/v1/jobs', { params: { query: { team: 'red', state: 'PENDING' } } });
    expect(team.data?.items.map((job) => job.job_id)).toEqual(['a2', 'a1', 'a0']);
    const all = await api.client('starViewer').GET('/api/v1/jobs', { params: { query: { limit: 500 } } });
    expect(all.data?.items.map((job) => job.job_id).slice(0, 3)).toEqual(['g1', 'g0', 'a6']);
    const one = await api.client('starViewer').GET('/api/v1/jobs', { params: { query: { tenant: 'globex' } } });
    expect(one.data?.items.map((job) => job.job_id)).toEqual(['g1', 'g0']);
  });

  it('400 names the field: unsupported combinations, bad values, unknown parameters, a bad cursor', async () => {
    const client = api.client('acmeViewer');
    const cases: [Record<string, string | number>, string][] = [
      [{ team: 'red', topic: 'job.default' }, 'team'],
      [{ state: 'NOPE' }, 'state'],
      [{ limit: 501 }, 'limit'],
      [{ limit: 'many' }, 'limit'],
      [{ colour: 'red' }, 'colour'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ from: 'yesterday' }, 'from'],
      [{ min_position: 'config:1' }, 'min_position'],
    ];
    for (const [query, field] of cases) {
      const { error, response } = await client.GET('/api/v1/jobs', { params: { query: query as never } });
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect((error as ProblemBody | undefined)?.field, JSON.stringify(query)).toBe(field);
    }
  });

  it('401 without a key; 404 for another tenant; 503 + Retry-After when the read model is behind', async () => {
    expect((await api.client(null).GET('/api/v1/jobs')).response.status).toBe(401);
    const other = await api.client('acmeViewer').GET('/api/v1/jobs', { params: { query: { tenant: 'globex' } } });
    expect(other.response.status).toBe(404);
    const behind = await api.app.inject({
      method: 'GET',
      url: '/api/v1/jobs',
      headers: { ...api.auth('acmeViewer'), 'x-coretex-min-position': `job:${lastPosition + 1000}` },
    });
    expect(behind.statusCode).toBe(503);
    expect(behind.headers['retry-after']).toBe('1');
    expect(behind.json<ProblemBody>().code).toBe('read_model_behind');
  });
});
