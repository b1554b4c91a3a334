/**
 * `GET /api/v1/events/stream` (SPEC 5) over a real socket: live events from the shared tail, the
 * caller's tenant always applied, filters by stream/type/job id, resume with Last-Event-ID (a vector of
 * per-stream positions) replaying exactly what was missed, and the 400/401 answers.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamId } from '../../src/domain/shared/stream.ts';
import { waitFor } from '../harness/wait-for.ts';
import { syntheticJobSubmitted } from '../support/synthetic-jobs.ts';
import type { ProblemBody, PutConfigAnswer } from './support/answers.ts';
import { type Backend, type KeyName, type RunningApi, secretOf, startApi } from './support/harness.ts';

interface SseMessage {
  readonly id: string | null;
  readonly event: string | null;
  readonly data: {
    stream: string;
    position: number;
    tenant: string;
    type: string;
    aggregate_id: string;
    data: unknown;
  };
}

interface SseConnection {
  readonly status: number;
  readonly messages: SseMessage[];
  close(): void;
  readonly ended: Promise<void>;
}

async function openStream(base: string, key: KeyName | null, query = '', headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/v1/events/stream${query}`, {
    headers: { ...(key === null ? {} : { authorization: `Bearer ${secretOf(key)}` }), ...headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const ended = (async () => {
    if (response.body === null || response.status !== 200) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || !line.includes(':')) continue;
            const colon = line.indexOf(':');
            fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          const data = fields.get('data');
          if (data !== undefined) {
            messages.push({
              id: fields.get('id') ?? null,
              event: fields.get('event') ?? null,
              data: JSON.parse(data) as SseMessage['data'],
            });
          }
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { status: response.status, messages, close: () => controller.abort(), ended, response } as SseConnection & {
    response: Response;
  };
}

describe.each<Backend>(['embedded', 'nats+redis'])('event stream on %s', (backend) => {
  let api: RunningApi;
  let base: string;
  beforeAll(async () => {
    api = await startApi({ backend });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    // (Takes ~4 s: the server waits for fetch's idle keep-alive sockets, which undici closes after 4 s.)
    await api.close();
  });

  const put = async (org: string, data: unknown, key: KeyName = 'starAdmin') =>
    (
      await api.app.inject({
        method: 'PUT',
        url: `/api/v1/config/org/${org}`,
        headers: { ...api.auth(key), 'content-type': 'application/json' },
        payload: JSON.stringify({ data }),
      })
    ).json<PutConfigAnswer>();

  it('streams live events of the caller’s tenant only; a * key sees every tenant', async () => {
    const acme = await openStream(base, 'acmeViewer', '?stream=config');
    const star = await openStream(base, 'starViewer', '?stream=config');
    expect(acme.status).toBe(200);
    try {
      await waitFor('both feeds open', () => api.deps.liveEvents.feeds >= 2);
      const g = await put('globex', { live: 1 });
      const a = await put('acme', { live: 2 });
      await waitFor('acme event', () => acme.messages.some((m) => m.data.tenant === 'acme' && m.data.data !== null));
      await waitFor('both on *', () => star.messages.length >= 2);
      expect(acme.messages.every((m) => m.data.tenant === 'acme')).toBe(true);
      const last = acme.messages.at(-1);
      expect(last?.event).toBe('ConfigPut');
      expect(last?.id).toBe(a.position);
      expect(star.messages.map((m) => `config:${m.data.position}`)).toEqual([g.position, a.position]);
    } finally {
      acme.close();
      star.close();
    }
  });

  it('resumes from Last-Event-ID: replays what was missed in order, then goes on live, nothing twice', async () => {
    const first = await put('acme', { r: 1 });
    const second = await put('acme', { r: 2 });
    const third = await put('acme', { r: 3 });
    const resumed = await openStream(base, 'acmeViewer', '?stream=config', { 'last-event-id': first.position });
    try {
      await waitFor('replayed', () => resumed.messages.length >= 2);
      const fourth = await put('acme', { r: 4 });
      await waitFor('live after replay', () => resumed.messages.length >= 3);
      const positions = resumed.messages.map((m) => `config:${m.data.position}`);
      expect(positions).toEqual([second.position, third.position, fourth.position]);
      expect(resumed.messages.map((m) => m.id)).toEqual(positions);
    } finally {
      resumed.close();
    }
    // The query parameter works for clients that cannot set the header.
    const viaQuery = await openStream(base, 'acmeViewer', `?stream=config&last_event_id=${third.position}`);
    try {
      await waitFor('replayed via query', () => viaQuery.messages.length >= 1);
      expect(viaQuery.messages[0]?.data.data).toMatchObject({ data: { r: 4 } });
    } finally {
      viaQuery.close();
    }
  });

  it('filters by type and by job id, across streams; the id vector names every stream followed', async () => {
    const feed = await openStream(base, 'acmeViewer', '?stream=job,config&type=JobSubmitted&job_id=sse-1');
    try {
      await waitFor('feed open', () => api.deps.liveEvents.feeds >= 1);
      for (const id of ['sse-0', 'sse-1']) {
        const event = syntheticJobSubmitted({ jobId: id, tenant: 'acme', createdAt: Date.now() });
        await api.events.append(
          streamId('job', 'acme', id),
          { ...event, time: new Date().toISOString(), actor: 'test' },
          {
            expectedPosition: 0,
            firstPosition: 0,
          },
        );
      }
      await put('acme', { noise: true });
      await waitFor('the job event', () => feed.messages.length >= 1);
      expect(feed.messages.map((m) => [m.data.type, m.data.aggregate_id])).toEqual([['JobSubmitted', 'sse-1']]);
      expect(feed.messages[0]?.id).toMatch(/^job:\d+,config:\d+$/);
    } finally {
      feed.close();
    }
  });

  it('400 names the field for a bad Last-Event-ID or stream; 401 without a key', async () => {
    const badVector = await api.app.inject({
      method: 'GET',
      url: '/api/v1/events/stream',
      headers: { ...api.auth('acmeViewer'), 'last-event-id': 'config:x' },
    });
    expect(badVector.statusCode).toBe(400);
    expect(badVector.json<ProblemBody>().field).toBe('Last-Event-ID');
    const badStream = await api.app.inject({
      method: 'GET',
      url: '/api/v1/events/stream?stream=mail',
      headers: api.auth('acmeViewer'),
    });
    expect(badStream.statusCode).toBe(400);
    expect(badStream.json<ProblemBody>().field).toBe('stream');
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/events/stream' })).statusCode).toBe(401);
  });
});
