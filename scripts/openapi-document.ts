/** The OpenAPI document of a keyless in-memory app, and the client types generated from it. */
import openapiTS, { astToString } from 'openapi-typescript';
import { EmbeddedEventStore } from '../src/adapters/embedded/event-store.ts';
import { MemoryReadModelStore } from '../src/adapters/embedded/read-model-store.ts';
import { buildApp } from '../src/api/app.ts';
import { DEFAULT_API_CONFIG } from '../src/api/config.ts';
import { createApiDeps } from '../src/api/deps.ts';
import { silentLogger, systemClock } from '../src/app/ports.ts';
import { configProjection } from '../src/projections/config/projection.ts';
import { jobsProjection } from '../src/projections/jobs/projection.ts';
import pkg from '../package.json' with { type: 'json' };

export async function openApiDocument(): Promise<Record<string, unknown>> {
  const events = await EmbeddedEventStore.open({ dataDir: null, partitions: 1 });
  const app = await buildApp(
    createApiDeps({
      events,
      readModels: new MemoryReadModelStore(),
      projections: [configProjection, jobsProjection],
      clock: systemClock,
      log: silentLogger,
      runtime: { mode: 'embedded', description: 'in memory', version: pkg.version, startedAt: 0 },
    }),
    DEFAULT_API_CONFIG,
  );
  try {
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
    await events.close();
  }
}

export async function generateClientTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return `${astToString(ast)}`;
}
