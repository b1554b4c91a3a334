/**
 * `npm run gen:client`: writes the OpenAPI document (from buildApp, without listening) to
 * src/api/client/openapi.json and generates the client's types, src/api/client/schema.d.ts, with
 * openapi-typescript. Both are committed; a test fails when they are out of date.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateClientTypes, openApiDocument } from './openapi-document.ts';

const dir = join(import.meta.dirname, '..', 'src', 'api', 'client');
const document = await openApiDocument();
writeFileSync(join(dir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
writeFileSync(join(dir, 'schema.d.ts'), await generateClientTypes(document));
console.log(`wrote ${join(dir, 'openapi.json')} and ${join(dir, 'schema.d.ts')}`);
