/**
 * What every read-model list route does before its query: the tenant it lists (the caller's own, or
 * the one a `*` key names — another tenant's is 404), the time range, and, when the caller passes a
 * command's position (`min_position` or its header), waiting until the read model has applied it.
 */
import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../domain/shared/errors.ts';
import type { ReadModelNamespace } from '../projections/projection.ts';
import { principalOf } from './auth/authenticate.ts';
import { canSeeTenant } from './auth/principal.ts';
import type { ApiConfig } from './config.ts';
import type { ApiDeps } from './deps.ts';
import { minPositionOf } from './positions.ts';
import { parseTime } from './routes/jobs.ts';

export interface ListQueryBase {
  readonly tenant?: string;
  readonly from?: string;
  readonly to?: string;
  readonly min_position?: string;
}

export interface ListScope {
  readonly tenant: string;
  /** The time range, as the list queries take it (absent bounds left out). */
  readonly range: { readonly from?: number; readonly to?: number };
  /** The read model to list from; null when it was never built (an empty page). */
  readonly ns: ReadModelNamespace | null;
}

export async function listScope(
  deps: ApiDeps,
  config: ApiConfig,
  request: FastifyRequest,
  query: ListQueryBase,
  projection: string,
): Promise<ListScope> {
  const principal = principalOf(request);
  if (query.tenant !== undefined && !canSeeTenant(principal, query.tenant)) {
    throw new NotFoundError(`no tenant ${query.tenant}`, 'tenant_not_found');
  }
  const from = query.from === undefined ? undefined : parseTime(query.from, 'from');
  const to = query.to === undefined ? undefined : parseTime(query.to, 'to');
  const min = minPositionOf(request, query.min_position);
  if (min !== null) {
    await deps.readModels.waitForPosition(projection, min.token, config.minPositionWaitMs, min.field);
  }
  return {
    tenant: query.tenant ?? principal.tenant,
    range: { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
    ns: await deps.readModels.namespace(projection),
  };
}
