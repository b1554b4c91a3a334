/**
 * The fault suite's probe projection: one INCR per application of each job and run event, keyed by the
 * event's unique id, and one total per stream. Every counter must end at exactly 1.
 */
import type { Projection } from '../../../src/projections/projection.ts';
import { incr } from '../../../src/projections/write.ts';

export const FAULT_PROBE: Projection = {
  name: 'faultprobe',
  schema: 1,
  streams: ['job', 'run'],
  evolve: (event) => [
    incr(`n:${event.id}`, 1),
    incr(`total:${event.stream_id.slice(0, event.stream_id.indexOf(':'))}`, 1),
  ],
};
