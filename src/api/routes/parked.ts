/**
 * Parked inputs (SPEC 5): inputs a process manager could not handle after repeated tries, listed and
 * replayed. They span every tenant (an input is parked before anyone knows whose it is), so both need
 * a key bound to `*`: listing is for operators, replaying — which runs a handler again — for admins.
 * A replay runs the same handler in this process; on success the input is unparked (200), on failure
 * it stays parked and the answer is 409 with the error.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import { formatPositionToken } from '../../domain/shared/events.ts';
import { type AggregateType, parseStreamId } from '../../domain/shared/stream.ts';
import type { ParkedInput } from '../../app/parking.ts';
import type { App } from '../types.ts';
import { type ApiDeps, jobRuntimeOf } from '../deps.ts';
import { operation } from '../operation.ts';
import { withPosition } from '../positions.ts';
import { EmptyBody, PositionHeader } from '../schemas/common.ts';
import { ParkedList, ParkedParams, ReplayAnswer } from '../schemas/workers.ts';
import { iso } from '../views/job.ts';

const TAGS = ['events'];

function parkedView(parked: ParkedInput) {
  return {
    id: parked.id,
    source: parked.source,
    position: parked.position,
    subject: parked.subject,
    error: parked.error,
    attempts: parked.attempts,
    parked_at: iso(parked.parked_at),
    input: parked.input,
  };
}

/** The stream a parked input concerns: an event's own, else the jobs stream (reports, submissions). */
function streamOfInput(parked: ParkedInput): AggregateType {
  const input = parked.input as Partial<StoredEvent> | null;
  const stream = typeof input?.stream_id === 'string' ? parseStreamId(input.stream_id) : null;
  return stream?.type ?? 'job';
}

export function registerParkedRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/api/v1/events/parked',
    operation({
      operationId: 'listParkedInputs',
      summary: 'Inputs parked after repeated failures',
      description: 'Oldest first, each with its error, attempts and the input itself.',
      tags: TAGS,
      access: { role: 'operator', global: true },
      response: { 200: ParkedList },
    }),
    async () => {
      const { rt } = jobRuntimeOf(deps);
      return { items: (await rt.parking.list()).map(parkedView) };
    },
  );

  app.post(
    '/api/v1/events/parked/:id/replay',
    operation({
      operationId: 'replayParkedInput',
      summary: 'Replay a parked input',
      description:
        'Runs the input’s handler again in this process. Handled: it is unparked (200). Failed again: it stays parked, 409 with the error.',
      tags: TAGS,
      access: { role: 'admin', global: true },
      errors: [404, 409],
      params: ParkedParams,
      body: EmptyBody,
      response: { 200: { ...ReplayAnswer, headers: PositionHeader } },
    }),
    async (request, reply) => {
      const { rt } = jobRuntimeOf(deps);
      const id = request.params.id;
      if ((await rt.parking.get(id)) === null)
        throw new NotFoundError(`no parked input ${id}`, 'parked_input_not_found');
      let replayed: ParkedInput | null;
      try {
        replayed = await rt.parking.replay(id);
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new ConflictError(`the replay failed again; the input stays parked: ${message}`, 'replay_failed');
      }
      // Gone between the check and the replay (someone else replayed it): it is not parked any more.
      if (replayed === null) throw new NotFoundError(`no parked input ${id}`, 'parked_input_not_found');
      const stream = streamOfInput(replayed);
      const position = formatPositionToken({ stream, position: await rt.events.headPosition(stream) });
      withPosition(reply, position);
      return { id: replayed.id, source: replayed.source, replayed: true as const, position };
    },
  );
}
