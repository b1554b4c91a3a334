/**
 * Who is calling and what they may do (SPEC 6). Roles are ordered: `viewer` reads; `operator` also
 * acts on jobs, runs, approvals and the DLQ; `admin` also writes config, workflows and rebuilds. A key
 * bound to one tenant sees only that tenant: another tenant's resource is answered 404, as if it did
 * not exist. `global` callers (keys bound to `*`, or the open loopback API) see every tenant and may act
 * on the installation (system config, projections, metrics) when their role allows.
 */
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { ALL_TENANTS, type Role } from './api-keys.ts';

export interface Principal {
  /** The key id (`open` for the keyless loopback API): events record `api:<id>` as the actor. */
  readonly keyId: string;
  /** The tenant the caller acts for, or `*`. */
  readonly tenant: string;
  readonly role: Role;
  /** May act on the installation: a `*` key, or the open loopback API. */
  readonly global: boolean;
  readonly rateLimit: number | null;
}

/** What a route requires; every route under /api declares one (checked when routes are added). */
export type Access =
  | { readonly role: 'public' }
  | { readonly role: Role; /** Only callers acting on the installation. */ readonly global?: boolean };

const RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(principal: Principal, role: Role): boolean {
  return RANK[principal.role] >= RANK[role];
}

/** Throws the 403 for a route the caller's role or scope does not allow. */
export function checkAccess(principal: Principal, access: Access): void {
  if (access.role === 'public') return;
  if (!hasRole(principal, access.role)) {
    throw new ForbiddenError(
      `this needs the ${access.role} role; key ${principal.keyId} is ${principal.role}`,
      'role_required',
    );
  }
  if (access.global === true && !principal.global) {
    throw new ForbiddenError(
      'this acts on the whole installation and needs a key bound to tenant "*"',
      'global_key_required',
    );
  }
}

export function canSeeTenant(principal: Principal, tenant: string): boolean {
  return principal.tenant === ALL_TENANTS || principal.tenant === tenant;
}

/** Another tenant's resource does not exist for the caller (404, never 403: no existence leak). */
export function requireTenant(principal: Principal, tenant: string, what: string): void {
  if (!canSeeTenant(principal, tenant)) throw new NotFoundError(`${what} not found`, 'not_found');
}

/**
 * The tenant a request about one resource acts on: the key's own, or the one `?tenant=` names — which
 * a key bound to `*` must do (its resources are per tenant) and a tenant key may only do for itself.
 */
export function actingTenant(principal: Principal, named: string | undefined): string {
  if (named !== undefined) {
    if (!canSeeTenant(principal, named)) throw new NotFoundError(`no tenant ${named}`, 'tenant_not_found');
    return named;
  }
  if (principal.tenant === ALL_TENANTS) {
    throw new ValidationError(
      'tenant',
      'a key bound to every tenant ("*") must name the tenant it acts on: ?tenant=<tenant>',
      'tenant_required',
    );
  }
  return principal.tenant;
}

export function actorOf(principal: Principal): string {
  return `api:${principal.keyId}`;
}
