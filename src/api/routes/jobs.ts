/**
 * Reading jobs (SPEC 1.11, 1.12): `GET /api/v1/jobs`, the list from the `jobs` read model
 * (tenant-scoped, newest first, one index per supported filter, opaque cursor, `min_position` to read
 * one's own writes); `GET /api/v1/jobs/{id}`, one job from the event store (authoritative, never
 * stale), optionally long-polled until terminal; `GET /api/v1/jobs/{id}/events`, its history.
 */
import type { StartedRuntime } from '../../app/jobs/create-runtime.ts';
import { readJobForState, readJobHistory } from '../../app/jobs/job-reads.ts';
import { jobDecider } from '../../app/jobs/job-repository.ts';
import type { JobEvent } from '../../domain/job/events.ts';
import type { JobState } from '../../domain/job/state.ts';
import { isTerminalState } from '../../domain/job/state.ts';
import { NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { type StreamId, streamId } from '../../domain/shared/stream.ts';
import type { JobListFilter } from '../../projections/jobs/queries.ts';
import type { App } from '../types.ts';
import { principalOf } from '../auth/authenticate.ts';
import { ALL_TENANTS } from '../auth/api-keys.ts';
import { actingTenant } from '../auth/principal.ts';
import type { ApiConfig } from '../config.ts';
import { type ApiDeps, jobRuntimeOf } from '../deps.ts';
import { longPoll, MAX_WAIT_MS, parseWait } from '../long-poll.ts';
import { minPositionOf } from '../positions.ts';
import { historyPageOf } from '../history-page.ts';
import { operation } from '../operation.ts';
import { page } from '../schemas/common.ts';
import { JobParams } from '../schemas/job-commands.ts';
import { JobEventSchema, JobEventsQuery, JobQuery, JobView } from '../schemas/job-view.ts';
import { JobListQuery, JobSummary } from '../schemas/jobs.ts';
import { jobView } from '../views/job.ts';

interface ReadJob {
  readonly state: JobState;
  readonly position: number;
  readonly last: StoredEvent | undefined;
}

/**
 * The job folded from its stream, as `jobs.load(stream, {fresh: true})` does, in the same single read
 * that gives the time of its last event (`updated_at`); from the archive when the stream no longer has
 * the job's history (docs/retention.md).
 */
async function readJob(rt: StartedRuntime, stream: StreamId): Promise<ReadJob> {
  const history = await readJobForState(rt.events, rt.archive, stream);
  let state: JobState = jobDecider.initial;
  for (const event of history.events) state = jobDecider.evolve(state, event as unknown as JobEvent);
  // Archiving changes nothing about the job: `updated_at` stays the time of its last change, so the
  // answer is the same before and after its events leave the stream.
  const last = history.events.findLast((event) => event.type !== 'JobArchived');
  return { state, position: history.lastPosition, last };
}

export function registerJobRoutes(app: App, deps: ApiDeps, config: ApiConfig): void {
  // Long polls end (answering what they have) when the server closes, so shutdown does not wait on them.
  const closing = new AbortController();
  app.addHook('preClose', () => {
    closing.abort();
    return Promise.resolve();
  });

  app.get(
    '/api/v1/jobs',
    operation({
      operationId: 'listJobs',
      summary: 'List jobs, newest first',
      description:
        'One supported filter (alone or with `state`) per request; any other combination is 400 naming the supported ones. `next_cursor` is null on the last page.',
      tags: ['jobs'],
      access: { role: 'viewer' },
      errors: [404, 503],
      querystring: JobListQuery,
      response: { 200: page(JobSummary, 'A page of jobs') },
    }),
    async (request) => {
      const principal = principalOf(request);
      const query = request.query;
      let tenant = principal.tenant;
      if (query.tenant !== undefined) {
        if (principal.tenant !== ALL_TENANTS && query.tenant !== principal.tenant) {
          throw new NotFoundError(`no tenant ${query.tenant}`, 'tenant_not_found');
        }
        tenant = query.tenant;
      }
      const filter: JobListFilter = {
        ...(query.state === undefined ? {} : { state: query.state }),
        ...(query.topic === undefined ? {} : { topic: query.topic }),
        ...(query.team === undefined ? {} : { team: query.team }),
        ...(query.trace_id === undefined ? {} : { trace_id: query.trace_id }),
        ...(query.workflow_id === undefined ? {} : { workflow_id: query.workflow_id }),
        ...(query.run_id === undefined ? {} : { run_id: query.run_id }),
      };
      const from = query.from === undefined ? undefined : parseTime(query.from, 'from');
      const to = query.to === undefined ? undefined : parseTime(query.to, 'to');
      const min = minPositionOf(request, query.min_position);
      return deps.jobs.list(
        {
          tenant,
          filter,
          sort: query.sort ?? 'created',
          limit: query.limit ?? 50,
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        },
        min === null ? undefined : { minPosition: min.token, timeoutMs: config.minPositionWaitMs, field: min.field },
      );
    },
  );

  app.get(
    '/api/v1/jobs/:id',
    {
      ...operation({
        operationId: 'getJob',
        summary: 'One job, as the event store knows it (optionally waiting until it finishes)',
        description: `Authoritative: folded from the job's events, never from a read model. \`?wait=30s\` long-polls until the job is terminal or the wait ends (at most ${MAX_WAIT_MS / 1000} s), then answers 200 with the state it has.`,
        tags: ['jobs'],
        access: { role: 'viewer' },
        errors: [404],
        params: JobParams,
        querystring: JobQuery,
        response: { 200: JobView },
        // The wait must not be cut short by the request timeout.
        timeoutMs: MAX_WAIT_MS + config.requestTimeoutMs,
      }),
    },
    async (request, reply) => {
      const { rt } = jobRuntimeOf(deps);
      const tenant = actingTenant(principalOf(request), request.query.tenant);
      const stream = streamId('job', tenant, request.params.id);
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const found = await longPoll({
        read: () => readJob(rt, stream),
        done: (job) => job.state.status === 'NONE' || isTerminalState(job.state),
        positionOf: (job) => job.position,
        currentPosition: () => rt.events.lastPosition(stream),
        waitMs: request.query.wait === undefined ? 0 : parseWait(request.query.wait),
        signal: AbortSignal.any([gone.signal, closing.signal]),
      });
      if (found.state.status === 'NONE') throw new NotFoundError(`job ${request.params.id} not found`, 'job_not_found');
      return jobView(found.state, tenant, found.position, found.last);
    },
  );

  app.get(
    '/api/v1/jobs/:id/events',
    operation({
      operationId: 'listJobEvents',
      summary: 'Every event of one job, oldest first',
      description:
        'The job’s whole history from the event store (and the archive, once its events left the stream): type, time, data, position, actor, trace/causation/correlation ids. Pages with `cursor` (`next_cursor` is null on the last page).',
      tags: ['jobs'],
      access: { role: 'viewer' },
      errors: [404],
      params: JobParams,
      querystring: JobEventsQuery,
      response: { 200: page(JobEventSchema, 'Events, oldest first') },
    }),
    async (request) => {
      const { rt } = jobRuntimeOf(deps);
      const tenant = actingTenant(principalOf(request), request.query.tenant);
      const history = await readJobHistory(rt.events, rt.archive, streamId('job', tenant, request.params.id));
      return historyPageOf(
        history.events,
        request.query,
        () => new NotFoundError(`job ${request.params.id} not found`, 'job_not_found'),
      );
    },
  );
}

export function parseTime(text: string, field: string): number {
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) {
    throw new ValidationError(field, `${field} must be epoch milliseconds or an ISO 8601 date-time`, 'invalid_time');
  }
  return value;
}
