/**
 * The config service over HTTP (SPEC 4), on the embedded adapters and on NATS JetStream + Redis:
 * every endpoint's success, bad input (the field named), wrong role (403), other tenant (404), no key
 * (401); If-Match (412); revisions across deletes; the effective merge with version and hash; history.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/shared/canonical-json.ts';
import { waitFor } from '../harness/wait-for.ts';
import type {
  ConfigDocumentAnswer,
  ConfigEventsAnswer,
  EffectiveAnswer,
  ProblemBody,
  PutConfigAnswer,
} from './support/answers.ts';
import { type Backend, type KeyName, type RunningApi, startApi } from './support/harness.ts';

const BACKENDS: Backend[] = ['embedded', 'nats+redis'];

describe.each(BACKENDS)('config API on %s', (backend) => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => {
    await api.close();
  });

  const put = (key: KeyName | null, path: string, body: unknown, headers: Record<string, string> = {}) =>
    api.app.inject({
      method: 'PUT',
      url: `/api/v1/config/${path}`,
      headers: { ...(key === null ? {} : api.auth(key)), 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  const get = (key: KeyName | null, url: string, headers: Record<string, string> = {}) =>
    api.app.inject({ method: 'GET', url, headers: { ...(key === null ? {} : api.auth(key)), ...headers } });

  it('PUT writes a document, GET reads it back with its revision, ETag and position', async () => {
    const first = await put('acmeAdmin', 'org/acme', { data: { retry: { max_attempts: 3 }, team_note: 'x' } });
    expect(first.statusCode).toBe(200);
    const body = first.json<PutConfigAnswer>();
    expect(body).toMatchObject({ scope: 'org', scope_id: 'acme', org_id: 'acme', revision: 1, changed: true });
    expect(body.position).toMatch(/^config:\d+$/);
    expect(first.headers['x-coretex-position']).toBe(body.position);
    expect(first.headers.etag).toBe('"1"');

    const read = await get('acmeViewer', '/api/v1/config/org/acme');
    expect(read.statusCode).toBe(200);
    expect(read.json<ConfigDocumentAnswer>()).toMatchObject({
      revision: 1,
      data: { retry: { max_attempts: 3 }, team_note: 'x' },
      updated_by: 'api:acmeAdmin',
      position: body.position,
    });
    expect(read.headers.etag).toBe('"1"');
  });

  it('a PUT of the same data changes nothing: same revision, same position, no event', async () => {
    const a = await put('acmeAdmin', 'team/acme:platform', { data: { limits: { max_concurrent: 5 } } });
    const before = await api.heads();
    const b = await put('acmeAdmin', 'team/acme:platform', { data: { limits: { max_concurrent: 5 } } });
    expect(b.statusCode).toBe(200);
    expect(b.json<ProblemBody>()).toMatchObject({
      revision: a.json<PutConfigAnswer>().revision,
      changed: false,
      position: a.json<PutConfigAnswer>().position,
    });
    expect(await api.heads()).toEqual(before);
  });

  it('If-Match: the matching revision writes, another is 412 and writes nothing', async () => {
    const created = await put('acmeAdmin', 'workflow/acme:etl', { data: { a: 1 } });
    expect(created.json<PutConfigAnswer>().revision).toBe(1);
    const ok = await put('acmeAdmin', 'workflow/acme:etl', { data: { a: 2 } }, { 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<PutConfigAnswer>().revision).toBe(2);
    const before = await api.heads();
    const stale = await put('acmeAdmin', 'workflow/acme:etl', { data: { a: 3 } }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json<ProblemBody>()).toMatchObject({
      status: 412,
      code: 'precondition_failed',
      title: 'Precondition Failed',
    });
    expect(await api.heads()).toEqual(before);
    const bad = await put('acmeAdmin', 'workflow/acme:etl', { data: { a: 3 } }, { 'if-match': 'W/"x"' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ProblemBody>().field).toBe('If-Match');
    const createOnly = await put('acmeAdmin', 'workflow/acme:etl', { data: {} }, { 'if-none-match': '*' });
    expect(createOnly.statusCode).toBe(412);
  });

  it('400 names the field: unknown body field, bad setting, bad scope id, data not an object', async () => {
    const cases: [string, unknown, string][] = [
      ['org/acme', { data: {}, extra: true }, 'extra'],
      ['org/acme', { data: { retry: { max_attempts: 0 } } }, 'data.retry.max_attempts'],
      ['org/acme', { data: { routing: { pools: { gpu: { requires: 'cuda' } } } } }, 'data.routing.pools.gpu.requires'],
      ['org/acme', { data: [1, 2] }, 'data'],
      ['org/acme', {}, 'data'],
      ['team/acme', { data: {} }, 'scope_id'],
      ['planet/acme', { data: {} }, 'scope'],
    ];
    for (const [path, body, field] of cases) {
      const res = await put('acmeAdmin', path, body);
      expect(res.statusCode, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const found = res.json<ProblemBody>();
      expect(found, JSON.stringify(body)).toMatchObject({ status: 400, field });
      expect(found.type).toMatch(/^urn:coretex:problem:/);
    }
  });

  it('401 without a key or with an unknown one; 403 for a role that may not write', async () => {
    expect((await put(null, 'org/acme', { data: {} })).statusCode).toBe(401);
    const unknown = await api.app.inject({
      method: 'GET',
      url: '/api/v1/config/org/acme',
      headers: { 'x-api-key': 'nope' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json<ProblemBody>()).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await get(null, '/api/v1/config/org/acme')).statusCode).toBe(401);
    const viewer = await put('acmeViewer', 'org/acme', { data: {} });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json<ProblemBody>().code).toBe('role_required');
    expect((await put('acmeOperator', 'org/acme', { data: {} })).statusCode).toBe(403);
    const viaHeader = await api.app.inject({
      method: 'GET',
      url: '/api/v1/config/org/acme',
      headers: { 'x-api-key': 'secret-acmeViewer' },
    });
    expect(viaHeader.statusCode).toBe(200);
  });

  it('another tenant’s documents are 404, for reads, writes, deletes and history', async () => {
    await put('acmeAdmin', 'org/acme', { data: { owner: 'acme' } });
    expect((await get('globexAdmin', '/api/v1/config/org/acme')).statusCode).toBe(404);
    expect((await put('globexAdmin', 'org/acme', { data: {} })).statusCode).toBe(404);
    const del = await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/config/org/acme',
      headers: api.auth('globexAdmin'),
    });
    expect(del.statusCode).toBe(404);
    expect((await get('globexAdmin', '/api/v1/config/org/acme/events')).statusCode).toBe(404);
    expect((await get('globexAdmin', '/api/v1/config/effective?org_id=acme')).statusCode).toBe(404);
    expect((await get('starViewer', '/api/v1/config/org/acme')).statusCode).toBe(200);
    const badGet = await get('acmeViewer', '/api/v1/config/org/acme:x');
    expect(badGet.statusCode).toBe(400);
    expect(badGet.json<ProblemBody>().field).toBe('scope_id');
  });

  it('only an admin key bound to * changes system; every key reads it', async () => {
    const denied = await put('acmeAdmin', 'system/default', { data: { a: 1 } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<ProblemBody>().code).toBe('global_key_required');
    expect((await put('starViewer', 'system/default', { data: {} })).statusCode).toBe(403);
    const ok = await put('starAdmin', 'system/default', { data: { timeouts: { dispatch_ms: 1000 } } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<PutConfigAnswer>().org_id).toBeNull();
    expect((await get('acmeViewer', '/api/v1/config/system/default')).statusCode).toBe(200);
    expect((await put('starAdmin', 'system/other', { data: {} })).json<ProblemBody>().field).toBe('scope_id');
  });

  it('DELETE answers 204 with the position; the document is gone; a rewrite continues the revisions', async () => {
    await put('acmeAdmin', 'step/acme:etl:load', { data: { x: 1 } });
    await put('acmeAdmin', 'step/acme:etl:load', { data: { x: 2 } });
    const stale = await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/config/step/acme:etl:load',
      headers: { ...api.auth('acmeAdmin'), 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(
      (
        await api.app.inject({
          method: 'DELETE',
          url: '/api/v1/config/step/acme:etl:load',
          headers: api.auth('acmeViewer'),
        })
      ).statusCode,
    ).toBe(403);
    const deleted = await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/config/step/acme:etl:load',
      headers: { ...api.auth('acmeAdmin'), 'if-match': '"2"' },
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect(deleted.headers['x-coretex-position']).toMatch(/^config:\d+$/);
    expect((await get('acmeAdmin', '/api/v1/config/step/acme:etl:load')).statusCode).toBe(404);
    const again = await api.app.inject({
      method: 'DELETE',
      url: '/api/v1/config/step/acme:etl:load',
      headers: api.auth('acmeAdmin'),
    });
    expect(again.statusCode).toBe(404);
    const anonymous = await api.app.inject({ method: 'DELETE', url: '/api/v1/config/step/acme:etl:load' });
    expect(anonymous.statusCode).toBe(401);
    const rewritten = await put('acmeAdmin', 'step/acme:etl:load', { data: { x: 3 } });
    expect(rewritten.json<PutConfigAnswer>().revision).toBe(3);
    expect(
      (
        await api.app.inject({ method: 'DELETE', url: '/api/v1/config/nope/x', headers: api.auth('acmeAdmin') })
      ).json<ProblemBody>().field,
    ).toBe('scope');
  });

  it('events: who changed what, oldest first, paged', async () => {
    await put('acmeAdmin', 'org/acme:audit'.replace(':audit', ''), { data: { v: 'a1' } });
    const id = 'acme:auditteam';
    for (const v of [1, 2, 3]) await put('acmeAdmin', `team/${id}`, { data: { v } });
    await api.app.inject({ method: 'DELETE', url: `/api/v1/config/team/${id}`, headers: api.auth('acmeAdmin') });
    const first = await get('acmeViewer', `/api/v1/config/team/${id}/events?limit=3`);
    expect(first.statusCode).toBe(200);
    const page1 = first.json<ConfigEventsAnswer>();
    expect(page1.items.map((e) => [e.type, e.revision])).toEqual([
      ['ConfigPut', 1],
      ['ConfigPut', 2],
      ['ConfigPut', 3],
    ]);
    expect(page1.items[0]).toMatchObject({ actor: 'api:acmeAdmin', data: { v: 1 } });
    expect(page1.next_cursor).not.toBeNull();
    const page2 = (
      await get('acmeViewer', `/api/v1/config/team/${id}/events?limit=3&cursor=${page1.next_cursor}`)
    ).json<ConfigEventsAnswer>();
    expect(page2.items.map((e) => e.type)).toEqual(['ConfigDeleted']);
    expect(page2.next_cursor).toBeNull();
    expect((await get('acmeViewer', `/api/v1/config/team/acme:never/events`)).statusCode).toBe(404);
    const bad = await get('acmeViewer', `/api/v1/config/team/${id}/events?limit=0`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ProblemBody>().field).toBe('limit');
    expect((await get(null, `/api/v1/config/team/${id}/events`)).statusCode).toBe(401);
  });

  it('effective: system → org → team → workflow → step, shallow, with version and hash; min_position reads the write', async () => {
    const org = 'merge';
    await put('starAdmin', `org/${org}`, { data: { a: 'org', b: { deep: 'org' } } });
    await put('starAdmin', `team/${org}:t`, { data: { b: { other: 'team' } } });
    await put('starAdmin', `workflow/${org}:w`, { data: { c: 'workflow' } });
    const last = await put('starAdmin', `step/${org}:w:s`, { data: { a: 'step' } });
    const system = (await get('starViewer', '/api/v1/config/system/default')).json<ConfigDocumentAnswer>();
    const url = `/api/v1/config/effective?org_id=${org}&team_id=t&workflow_id=w&step_id=s&min_position=${last.json<PutConfigAnswer>().position}`;
    const res = await get('starViewer', url);
    expect(res.statusCode).toBe(200);
    const body = res.json<EffectiveAnswer>();
    expect(body.data).toEqual({ ...system.data, a: 'step', b: { other: 'team' }, c: 'workflow' });
    expect(body.version).toBe(`system:${system.revision}|org:1|team:1|workflow:1|step:1`);
    expect(body.hash).toBe(createHash('sha256').update(canonicalJson(body.data)).digest('hex'));
    // An org with no documents still has an effective config: the system level.
    const bare = await waitFor('system level', async () => {
      const r = (await get('starViewer', '/api/v1/config/effective?org_id=nobody')).json<EffectiveAnswer>();
      return r.version === `system:${system.revision}|org:0|team:0|workflow:0|step:0` ? r : undefined;
    });
    expect(bare.data).toEqual(system.data);
  });

  it('effective: 400 names the field, 401 without a key, 503 + Retry-After when the read model is behind', async () => {
    const stepOnly = await get('acmeViewer', '/api/v1/config/effective?org_id=acme&step_id=s');
    expect(stepOnly.statusCode).toBe(400);
    expect(stepOnly.json<ProblemBody>().field).toBe('step_id');
    expect((await get('acmeViewer', '/api/v1/config/effective')).json<ProblemBody>().field).toBe('org_id');
    expect((await get('acmeViewer', '/api/v1/config/effective?org_id=acme&bogus=1')).json<ProblemBody>().field).toBe(
      'bogus',
    );
    expect(
      (await get('acmeViewer', '/api/v1/config/effective?org_id=acme&min_position=job:1')).json<ProblemBody>().field,
    ).toBe('min_position');
    const viaHeader = await get('acmeViewer', '/api/v1/config/effective?org_id=acme', {
      'x-coretex-min-position': 'nonsense',
    });
    expect(viaHeader.json<ProblemBody>().field).toBe('X-Coretex-Min-Position');
    expect((await get(null, '/api/v1/config/effective?org_id=acme')).statusCode).toBe(401);
    const behind = await get('acmeViewer', '/api/v1/config/effective?org_id=acme&min_position=config:999999999');
    expect(behind.statusCode).toBe(503);
    expect(Number(behind.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(behind.json<ProblemBody>().code).toBe('read_model_behind');
  });
});
