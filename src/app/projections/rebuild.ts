/**
 * Rebuild by replay (SPEC 5, ARCHITECTURE.md section 4): build a projection into a fresh version from
 * position 1 of its streams while reads keep being served from the active version, switch the active
 * version atomically once caught up, then delete the old keys. A live runner sees the switch and goes
 * on from the new version's checkpoint.
 */
import type { AggregateType } from '../../domain/shared/stream.ts';
import { writesOfBatch } from '../../projections/coalesce.ts';
import type { Projection, ReadModelNamespace } from '../../projections/projection.ts';
import type { EventStore, ReadModelStore } from '../ports.ts';

export interface RebuildProgress {
  readonly projection: string;
  readonly stream: AggregateType;
  readonly position: number;
  readonly head: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  /** Seconds to reach the head at the current rate (null until there is a rate). */
  readonly etaSeconds: number | null;
}

export interface RebuildOptions {
  readonly batchSize?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** How long to wait after the switch before deleting the old keys (live runners move over). */
  readonly dropOldAfterMs?: number;
}

export interface RebuildResult {
  readonly projection: string;
  readonly version: number;
  readonly previous: number | null;
  readonly events: number;
  readonly ms: number;
  readonly switched: boolean;
}

export async function rebuildProjection(
  deps: { readonly events: EventStore; readonly store: ReadModelStore },
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const started = performance.now();
  const previous = await deps.store.activeVersion(projection.name);
  const version = await deps.store.allocateVersion(projection.name);
  const ns: ReadModelNamespace = { projection: projection.name, version };
  let total = 0;
  for (const stream of projection.streams) {
    total += await replayStream(deps, projection, ns, stream, options);
  }
  // Catch up once more with what arrived while building, then switch.
  for (const stream of projection.streams) {
    total += await replayStream(deps, projection, ns, stream, { ...options, onProgress: () => {} });
  }
  const switched = await deps.store.switchVersion(projection.name, previous, { version, schema: projection.schema });
  if (!switched) {
    // Another rebuild switched first: ours is redundant.
    await deps.store.dropNamespace(ns);
  } else if (previous !== null) {
    await new Promise((resolve) => setTimeout(resolve, options.dropOldAfterMs ?? 2000));
    await deps.store.dropNamespace({ projection: projection.name, version: previous.version });
  }
  return {
    projection: projection.name,
    version,
    previous: previous?.version ?? null,
    events: total,
    ms: performance.now() - started,
    switched,
  };
}

async function replayStream(
  deps: { readonly events: EventStore; readonly store: ReadModelStore },
  projection: Projection,
  ns: ReadModelNamespace,
  stream: AggregateType,
  options: RebuildOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  const head = await deps.events.headPosition(stream);
  let checkpoint = await deps.store.checkpoint(ns, stream);
  let count = 0;
  const started = performance.now();
  // Reads run one batch ahead of writes, so reading and committing overlap.
  let next = deps.events.readAll(stream, { from: checkpoint + 1, limit: batchSize });
  for (;;) {
    const batch = await next;
    const last = batch.at(-1);
    if (last === undefined) break;
    next = deps.events.readAll(stream, { from: last.position + 1, limit: batchSize });
    const writes = writesOfBatch(projection, batch);
    const result = await deps.store.commit(ns, stream, { expect: checkpoint, checkpoint: last.position, writes });
    if (!result.ok) throw new Error(`rebuild of ${projection.name} raced another writer on ${stream}`);
    checkpoint = last.position;
    count += batch.length;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? count / seconds : 0;
    options.onProgress?.({
      projection: projection.name,
      stream,
      position: checkpoint,
      head,
      events: count,
      eventsPerSecond: rate,
      etaSeconds: rate > 0 ? Math.max(0, head - checkpoint) / rate : null,
    });
  }
  await next.catch(() => []);
  return count;
}
