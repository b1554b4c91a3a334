/**
 * A projection is data (ARCHITECTURE.md section 4): a name, a schema version, the streams it reads,
 * and a pure `evolve` from one stored event to the writes it causes. It never reads state, the clock
 * or config, so replaying the same events always gives the same read model.
 */
import type { StoredEvent } from '../domain/shared/events.ts';
import type { AggregateType } from '../domain/shared/stream.ts';
import type { Write } from './write.ts';

export interface Projection {
  readonly name: string;
  /** Bumped when `evolve` changes meaning: a running projector then rebuilds into a new keyspace. */
  readonly schema: number;
  readonly streams: readonly AggregateType[];
  evolve(event: StoredEvent): readonly Write[];
}

/** One built keyspace of a projection: `{<prefix>:<name>:v<version>}`. */
export interface ReadModelNamespace {
  readonly projection: string;
  readonly version: number;
}
