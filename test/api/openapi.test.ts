/**
 * The OpenAPI document (SPEC 6): a valid OpenAPI 3.1 document by a real validator, served at
 * /api/v1/openapi.json, every operation naming its role and its errors as problem details, and the
 * committed client types generated from exactly this document.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateClientTypes, openApiDocument } from '../../scripts/openapi-document.ts';
import { type RunningApi, startApi } from './support/harness.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

describe('OpenAPI document', () => {
  let api: RunningApi;
  let document: OpenAPIV3_1.Document;
  beforeAll(async () => {
    api = await startApi();
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    document = res.json<OpenAPIV3_1.Document>();
  });
  afterAll(async () => {
    await api.close();
  });

  it('is a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    expect(document.openapi).toBe('3.1.0');
    const validated = await SwaggerParser.validate(structuredClone(document) as never);
    expect(Object.keys(validated.paths ?? {})).toContain('/api/v1/config/{scope}/{scope_id}');
  });

  it('every operation names its role (x-coretex-role and description) and lists its errors as problem details', () => {
    let operations = 0;
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item?.[method] as (OpenAPIV3_1.OperationObject & { 'x-coretex-role'?: string }) | undefined;
        if (operation === undefined) continue;
        operations++;
        const where = `${method.toUpperCase()} ${path}`;
        const role = operation['x-coretex-role'];
        expect(['public', 'viewer', 'operator', 'admin'], where).toContain(role);
        expect(operation.description, where).toContain('**Required role:**');
        const responses = operation.responses ?? {};
        const errors = Object.keys(responses).filter((status) => status.startsWith('4'));
        if (role !== 'public') expect(errors, where).toEqual(expect.arrayContaining(['401', '429']));
        for (const status of errors) {
          const response = responses[status] as OpenAPIV3_1.ResponseObject;
          expect(Object.keys(response.content ?? {}), `${where} ${status}`).toEqual(['application/problem+json']);
        }
        if (operation.requestBody !== undefined)
          expect(errors, where).toEqual(expect.arrayContaining(['400', '413', '415']));
      }
    }
    expect(operations).toBeGreaterThanOrEqual(11);
  });

  it('command bodies reject unknown fields in the schema itself', () => {
    const put = document.paths?.['/api/v1/config/{scope}/{scope_id}']?.put;
    const body = put?.requestBody as OpenAPIV3_1.RequestBodyObject;
    expect(body.content['application/json']?.schema).toMatchObject({ additionalProperties: false });
  });

  it('the committed client (openapi.json, schema.d.ts) is generated from this document: run npm run gen:client', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'api', 'client');
    const fresh = await openApiDocument();
    expect(JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8'))).toEqual(fresh);
    expect(readFileSync(join(dir, 'schema.d.ts'), 'utf8')).toBe(await generateClientTypes(fresh));
  });

  it('the docs are rendered at /docs', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});
