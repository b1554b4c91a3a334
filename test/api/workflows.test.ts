/**
 * Workflow definitions through the API (SPEC 2.1, 2.2, 6): create (201), a new version with `PUT`
 * (`If-Match` → 412 and nothing written), the latest or a given version from the event store, the
 * list from the `workflows` read model (cursor pages, `min_position`, deleted ones on request), delete
 * (204, versions kept). Validation names the step and the field; writing is the admin's, reading
 * every key's; another tenant's workflow does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, type KeyName, type RunningApi, startApi } from './support/harness.ts';
import { call, expectProblem, get, post } from './support/jobs.ts';
import { defineWorkflow, del, put } from './support/workflows.ts';

interface VersionBody {
  workflow_id: string;
  version: number;
  deleted: boolean;
  defined_by: string;
  position: string;
  definition: {
    id: string;
    name: string;
    org_id: string;
    steps: Record<string, { type: string; topic: string | null; depends_on: string[]; retry: { max_retries: number } }>;
  };
}

interface Summary {
  workflow_id: string;
  tenant: string;
  name: string;
  version: number;
  deleted: boolean;
  steps: number;
  updated_by: string;
}

interface Page {
  items: Summary[];
  next_cursor: string | null;
}

const ETL = {
  id: 'etl',
  name: 'ETL',
  steps: { extract: { topic: 'job.default' }, load: { depends_on: ['extract'] } },
};

describe.each<Backend>(['embedded', 'nats+redis'])('workflow definitions on %s', (backend) => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ backend });
  });
  afterAll(async () => {
    await api.close();
  });

  it('create, a new version under If-Match (a stale one is 412 and writes nothing), the latest and a given version, the list, delete', async () => {
    const created = await post(api, '/api/v1/workflows', ETL, 'acmeAdmin');
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ workflow_id: 'etl', version: 1, changed: true });
    expect(created.headers['x-coretex-position']).toBe(created.json<{ position: string }>().position);
    expect(created.headers.etag).toBe('"1"');

    const v1 = await get(api, '/api/v1/workflows/etl');
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.headers.etag).toBe('"1"');
    const body1 = v1.json<VersionBody>();
    expect(body1).toMatchObject({ workflow_id: 'etl', version: 1, deleted: false, defined_by: 'api:acmeAdmin' });
    // Saved with every default filled in.
    expect(body1.definition).toMatchObject({ id: 'etl', name: 'ETL', org_id: 'acme' });
    expect(body1.definition.steps.load).toMatchObject({
      type: 'job',
      topic: 'job.default',
      depends_on: ['extract'],
      retry: { max_retries: 0 },
    });

    const v2Body = { ...ETL, steps: { ...ETL.steps, report: { type: 'notify', depends_on: ['load'] } } };
    const updated = await put(api, '/api/v1/workflows/etl', v2Body, { 'if-match': '"1"' });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ workflow_id: 'etl', version: 2, changed: true });
    expect(updated.headers.etag).toBe('"2"');
    const position2 = updated.json<{ position: string }>().position;

    const stale = await put(api, '/api/v1/workflows/etl', ETL, { 'if-match': '"1"' });
    expect(expectProblem(stale, 412).code).toBe('version_mismatch');
    const latest = (await get(api, '/api/v1/workflows/etl')).json<VersionBody>();
    expect(latest.version).toBe(2);
    expect(latest.position).toBe(position2);
    expect(Object.keys(latest.definition.steps).sort()).toEqual(['extract', 'load', 'report']);

    const old = await get(api, '/api/v1/workflows/etl?version=1');
    expect(old.statusCode, old.body).toBe(200);
    expect(Object.keys(old.json<VersionBody>().definition.steps).sort()).toEqual(['extract', 'load']);
    expect(old.headers.etag).toBeUndefined();
    expect(expectProblem(await get(api, '/api/v1/workflows/etl?version=3'), 404).code).toBe('workflow_not_found');

    const listed = await get(api, `/api/v1/workflows?min_position=${position2}`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<Page>().items.find((item) => item.workflow_id === 'etl')).toMatchObject({
      tenant: 'acme',
      name: 'ETL',
      version: 2,
      steps: 3,
      deleted: false,
      updated_by: 'api:acmeAdmin',
    });

    expect(expectProblem(await del(api, '/api/v1/workflows/etl', 'acmeAdmin', { 'if-match': '"1"' }), 412).code).toBe(
      'version_mismatch',
    );
    const deleted = await del(api, '/api/v1/workflows/etl', 'acmeAdmin', { 'if-match': '"2"' });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const deletedAt = deleted.headers['x-coretex-position'] as string;
    expect(deletedAt).toMatch(/^workflow:\d+$/);
    expect(expectProblem(await get(api, '/api/v1/workflows/etl'), 404).code).toBe('workflow_not_found');
    // Its versions stay readable (runs pinned to them show them).
    const kept = await get(api, '/api/v1/workflows/etl?version=2');
    expect(kept.json<VersionBody>()).toMatchObject({ version: 2, deleted: true });
    expect(expectProblem(await put(api, '/api/v1/workflows/etl', ETL), 404).code).toBe('workflow_not_found');

    const live = (await get(api, `/api/v1/workflows?min_position=${deletedAt}`)).json<Page>();
    expect(live.items.some((item) => item.workflow_id === 'etl')).toBe(false);
    const all = (await get(api, `/api/v1/workflows?include_deleted=true&min_position=${deletedAt}`)).json<Page>();
    expect(all.items.find((item) => item.workflow_id === 'etl')).toMatchObject({ deleted: true, version: 2 });
    // Deleting a deleted workflow changes nothing.
    const again = await del(api, '/api/v1/workflows/etl');
    expect(again.statusCode, again.body).toBe(204);
    expect(again.headers['x-coretex-position']).toBe(deletedAt);
  });

  it('the list pages with a cursor, newest first, without repeats; another tenant’s are not in it', async () => {
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
    let position = '';
    for (const id of ids) position = (await defineWorkflow(api, { id, steps: { a: {} } })).position;
    await defineWorkflow(api, { id: 'theirs', steps: { a: {} } }, 'globexAdmin');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await get(api, `/api/v1/workflows?limit=2&min_position=${position}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      const found = res.json<Page>();
      expect(found.items.length).toBeLessThanOrEqual(2);
      seen.push(...found.items.map((item) => item.workflow_id));
      cursor = found.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen.filter((id) => id.startsWith('p'))).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain('theirs');
    // A `*` key sees every tenant's.
    const global = (await get(api, '/api/v1/workflows?limit=500', 'starViewer')).json<Page>();
    expect(global.items.map((item) => `${item.tenant}/${item.workflow_id}`)).toEqual(
      expect.arrayContaining(['acme/p1', 'globex/theirs']),
    );
  });
});

describe('workflow definitions: validation, roles and tenants (embedded)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
    await defineWorkflow(api, ETL);
  });
  afterAll(async () => {
    await api.close();
  });

  /** Posts a definition that must be 400 naming `field`, and checks nothing was written. */
  async function refused(body: unknown, field: string, code?: string) {
    const before = await api.heads();
    const problem = expectProblem(await post(api, '/api/v1/workflows', body, 'acmeAdmin'), 400, field);
    if (code !== undefined) expect(problem.code).toBe(code);
    expect(await api.heads()).toEqual(before);
    return problem;
  }

  it('400 names the field: unknown fields (top and step), unknown depends_on, cycles, bad CEL, bad schemas, fields a step type lacks', async () => {
    await refused({ ...ETL, id: 'x1', colour: 'red' }, 'colour');
    await refused({ id: 'x2', steps: { a: { colour: 'red' } } }, 'steps.a.colour');
    await refused({ id: 'x3', steps: { a: { retry: { max_retries: 1, tries: 2 } } } }, 'steps.a.retry.tries');
    await refused(
      { id: 'x4', steps: { a: {}, b: { depends_on: ['nope'] } } },
      'steps.b.depends_on',
      'invalid_workflow',
    );
    const cycle = await refused(
      { id: 'x5', steps: { a: { depends_on: ['b'] }, b: { depends_on: ['a'] } } },
      'steps.a.depends_on',
      'invalid_workflow',
    );
    expect(cycle.detail).toContain('→');
    await refused({ id: 'x6', steps: { a: { condition: 'input.x ==' } } }, 'steps.a.condition', 'invalid_workflow');
    await refused({ id: 'x7', input_schema: { type: 'nonsense' }, steps: { a: {} } }, 'input_schema');
    await refused({ id: 'x8', steps: { gate: { type: 'approval', topic: 'job.x' } } }, 'steps.gate.topic');
    await refused({ id: 'x9', steps: { a: { type: 'teleport' } } }, 'steps.a.type');
    await refused({ id: 'x10' }, 'steps');
    await refused({ id: 'x11', steps: {} }, 'steps');
    await refused({ id: 'bad.id', steps: { a: {} } }, 'id');
    await refused({ id: 'x12', steps: { Bad: {} } }, 'steps.Bad');
  });

  it('PUT: a body id other than the path’s, a malformed If-Match, a bad version or id are 400; nothing written', async () => {
    const before = await api.heads();
    expectProblem(await put(api, '/api/v1/workflows/etl', { ...ETL, id: 'other' }), 400, 'id');
    expectProblem(await put(api, '/api/v1/workflows/etl', ETL, { 'if-match': 'v1' }), 400, 'If-Match');
    expectProblem(await put(api, '/api/v1/workflows/etl', { ...ETL, steps: { a: { x: 1 } } }), 400, 'steps.a.x');
    expectProblem(await get(api, '/api/v1/workflows/etl?version=0'), 400, 'version');
    expectProblem(await get(api, '/api/v1/workflows/etl?colour=red'), 400, 'colour');
    expectProblem(await get(api, '/api/v1/workflows/bad.id'), 400, 'id');
    expectProblem(await get(api, '/api/v1/workflows?limit=0'), 400, 'limit');
    expectProblem(await get(api, '/api/v1/workflows?cursor=garbage'), 400, 'cursor');
    expectProblem(await get(api, '/api/v1/workflows?min_position=job:1'), 400, 'min_position');
    expectProblem(await del(api, '/api/v1/workflows/etl', 'acmeAdmin', { 'if-match': 'x' }), 400, 'If-Match');
    expect(await api.heads()).toEqual(before);
  });

  it('409: creating an id already used', async () => {
    const before = await api.heads();
    expect(expectProblem(await post(api, '/api/v1/workflows', ETL, 'acmeAdmin'), 409).code).toBe('workflow_exists');
    expect(await api.heads()).toEqual(before);
  });

  it('403: writing a definition needs admin; reading any key', async () => {
    const before = await api.heads();
    for (const key of ['acmeOperator', 'acmeViewer', 'starViewer'] as const) {
      expect(expectProblem(await post(api, '/api/v1/workflows', { ...ETL, id: 'y' }, key), 403).code).toBe(
        'role_required',
      );
      expectProblem(await call(api, { method: 'PUT', url: '/api/v1/workflows/etl', key, body: ETL }), 403);
      expectProblem(await del(api, '/api/v1/workflows/etl', key), 403);
    }
    expect(await api.heads()).toEqual(before);
    expect((await get(api, '/api/v1/workflows/etl', 'acmeViewer')).statusCode).toBe(200);
    expect((await get(api, '/api/v1/workflows', 'acmeViewer')).statusCode).toBe(200);
  });

  it('401 without a key, on every workflow endpoint', async () => {
    const requests: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; body?: unknown }[] = [
      { method: 'POST', url: '/api/v1/workflows', body: ETL },
      { method: 'PUT', url: '/api/v1/workflows/etl', body: ETL },
      { method: 'DELETE', url: '/api/v1/workflows/etl' },
      { method: 'GET', url: '/api/v1/workflows/etl' },
      { method: 'GET', url: '/api/v1/workflows' },
    ];
    for (const request of requests) {
      expectProblem(await call(api, { ...request, key: null }), 401);
      expectProblem(await call(api, { ...request, key: null, headers: { authorization: 'Bearer not-a-key' } }), 401);
    }
  });

  it('404: another tenant’s workflow does not exist; a `*` key names the tenant', async () => {
    const other: KeyName = 'globexAdmin';
    const before = await api.heads();
    expect(expectProblem(await get(api, '/api/v1/workflows/etl', other), 404).code).toBe('workflow_not_found');
    expectProblem(await call(api, { method: 'PUT', url: '/api/v1/workflows/etl', key: other, body: ETL }), 404);
    const gone = await del(api, '/api/v1/workflows/etl', other);
    expectProblem(gone, 404);
    expect(expectProblem(await get(api, '/api/v1/workflows/etl?tenant=globex'), 404).code).toBe('tenant_not_found');
    expect(expectProblem(await get(api, '/api/v1/workflows?tenant=globex'), 404).code).toBe('tenant_not_found');
    expectProblem(await post(api, '/api/v1/workflows?tenant=globex', { ...ETL, id: 'z' }, 'acmeAdmin'), 404);
    expect(await api.heads()).toEqual(before);
    // Still acme's, unchanged.
    expect((await get(api, '/api/v1/workflows/etl')).json<VersionBody>().version).toBe(1);
    expectProblem(await get(api, '/api/v1/workflows/etl', 'starViewer'), 400, 'tenant');
    expect((await get(api, '/api/v1/workflows/etl?tenant=acme', 'starViewer')).statusCode).toBe(200);
    expect(expectProblem(await get(api, '/api/v1/workflows/never'), 404).code).toBe('workflow_not_found');
  });
});
