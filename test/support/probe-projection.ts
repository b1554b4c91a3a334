/**
 * A probe projection for tests: one INCR per event application (not idempotent on purpose), so an
 * event applied twice shows as a 2 and an event skipped as a missing key.
 */
import type { Projection } from '../../src/projections/projection.ts';
import { incr } from '../../src/projections/write.ts';

export const probeProjection: Projection = {
  name: 'probe',
  schema: 1,
  streams: ['op'],
  evolve: (event) => [incr(`n:${event.position}`, 1), incr('total', 1)],
};
