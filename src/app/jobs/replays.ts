/** How parked inputs of the job runtime are replayed: the same handlers that parked them. */
import type { StoredEvent } from '../../domain/shared/events.ts';
import { parseStreamId } from '../../domain/shared/stream.ts';
import type { CapturedMessage } from '../ports.ts';
import { reactTo } from './reactions.ts';
import { recordReport } from './reports.ts';
import type { JobRuntime } from './runtime.ts';

export function registerReplays(rt: JobRuntime): void {
  rt.parking.handle('job-event', async (parked) => {
    const event = parked.input as StoredEvent;
    const stream = parseStreamId(event.stream_id);
    if (stream === null) throw new Error(`parked event has no valid stream id: ${event.stream_id}`);
    await reactTo(rt, event, stream);
  });
  rt.parking.handle('report', async (parked) => {
    await recordReport(rt, parked.input as CapturedMessage, { recorded: 0, ignored: 0, malformed: 0 });
  });
}
