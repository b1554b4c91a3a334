/** Typed answers for tests that inject raw requests: the generated client types, and problem details. */
import type { operations } from '../../../src/api/client/schema.d.ts';

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly field?: string;
  readonly request_id?: string;
}

type Json<O extends keyof operations, S extends number> =
  operations[O]['responses'] extends Record<S, { content: { 'application/json': infer T } }> ? T : never;

export type ConfigDocumentAnswer = Json<'getConfigDocument', 200>;
export type PutConfigAnswer = Json<'putConfigDocument', 200>;
export type ConfigEventsAnswer = Json<'listConfigDocumentEvents', 200>;
export type EffectiveAnswer = Json<'getEffectiveConfig', 200>;
export type StatusAnswer = Json<'getStatus', 200>;
export type JobsAnswer = Json<'listJobs', 200>;
export type ReadyAnswer = Json<'ready', 200>;
