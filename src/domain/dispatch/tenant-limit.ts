/**
 * Per-tenant concurrency limits (SPEC 1.4, 1.6; config key `limits`). A limit counts the tenant's
 * jobs in flight (slot taken before scheduling, released at the terminal event) across every
 * Coretex process; the counting lives in the runtime, the arithmetic here.
 */

export interface TenantLimits {
  /** For tenants without their own entry; null = no limit. */
  readonly max_concurrent: number | null;
  /** Per tenant; an entry's null lifts the default for that tenant. */
  readonly tenants: Readonly<Record<string, { readonly max_concurrent: number | null }>>;
}

export const DEFAULT_TENANT_LIMITS: TenantLimits = { max_concurrent: null, tenants: {} };

/**
 * The tenant's limit: its own entry, else the default; a safety constraint (`max_concurrent_jobs`)
 * can only make it stricter (SPEC 1.4: "the stricter of constraint and config wins").
 */
export function tenantLimit(limits: TenantLimits, tenant: string, constraint: number | null = null): number | null {
  const own = Object.hasOwn(limits.tenants, tenant) ? limits.tenants[tenant] : undefined;
  const configured = own === undefined ? limits.max_concurrent : own.max_concurrent;
  if (constraint === null) return configured;
  return configured === null ? constraint : Math.min(configured, constraint);
}

export interface TenantLimitWait {
  readonly kind: 'wait';
  readonly reason: 'tenant_limit';
}

/** Null when the tenant may start another job; else the job waits in the `tenant_limit` queue. */
export function checkTenantLimit(inFlight: number, limit: number | null): TenantLimitWait | null {
  return limit !== null && inFlight >= limit ? { kind: 'wait', reason: 'tenant_limit' } : null;
}
