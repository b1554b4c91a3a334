/**
 * An event store that reports every append that stored a new event (metrics: events appended by
 * stream). Reads and subscriptions pass straight through.
 */
import type { AggregateType, StreamId } from '../domain/shared/stream.ts';
import type { AppendOptions, AppendResult, EventStore, EventToAppend } from './ports.ts';

export function observeAppends(
  store: EventStore,
  onAppended: (type: AggregateType, result: AppendResult) => void,
): EventStore {
  return {
    async append(stream: StreamId, event: EventToAppend, options: AppendOptions): Promise<AppendResult> {
      const result = await store.append(stream, event, options);
      if (!result.duplicate) onAppended(stream.type, result);
      return result;
    },
    read: (stream, options) => store.read(stream, options),
    lastPosition: (stream) => store.lastPosition(stream),
    readAll: (type, options) => store.readAll(type, options),
    subscribe: (type, options, handler) => store.subscribe(type, options, handler),
    headPosition: (type) => store.headPosition(type),
    close: () => store.close(),
  };
}
