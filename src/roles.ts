/** The roles a Coretex process can run (SPEC 8: `coretex start --roles ...`). */
export const ROLES = ['api', 'scheduler', 'projector', 'workflows', 'reconciler'] as const;
export type Role = (typeof ROLES)[number];
