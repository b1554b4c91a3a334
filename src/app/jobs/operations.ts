/**
 * Bulk operations (SPEC 1.9, 1.10): `requestOperation` records a bulk cancel or DLQ retry by filter as
 * its own aggregate (stream `op`); the `OperationsRunner` — one at a time, under a lease — carries each
 * to the end page by page through the read models, recording progress (with the page cursor) after each
 * page. Its cursor does not pass an operation until the operation has finished, so a crash resumes it
 * from the last recorded page; cancelling or retrying an item twice changes nothing.
 */
import { decideOperation, evolveOperation, NO_OPERATION } from '../../domain/operation/operation.ts';
import type {
  OperationCommand,
  OperationEvent,
  OperationKind,
  OperationState,
} from '../../domain/operation/operation.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import { streamId, parseStreamId } from '../../domain/shared/stream.ts';
import { listDlq } from '../../projections/dlq/queries.ts';
import { jobIndexFor, type JobListFilter, listJobs } from '../../projections/jobs/queries.ts';
import { AggregateRepository, type Decider } from '../aggregate-repository.ts';
import type { CursorStore, Hasher, KvBucket, Lease, LeaseStore, Subscription } from '../ports.ts';
import { PositionTracker } from '../position-tracker.ts';
import { retryDlqEntry } from './dlq-commands.ts';
import { cancelJob } from './job-commands.ts';
import type { JobRuntime } from './runtime.ts';
import type { IdempotencyClaim } from './submit.ts';

const operationDecider: Decider<OperationState, OperationEvent> = {
  initial: NO_OPERATION,
  evolve: evolveOperation,
  isFinished: (state) => state.status === 'SUCCEEDED' || state.status === 'FAILED',
  envelopeOf: (event) => ({ trace_id: null, correlation_id: event.data.keys.operation_id }),
  startsHistory: () => false,
};

export type OperationRepository = AggregateRepository<OperationState, OperationEvent>;

export function operationRepository(rt: JobRuntime): OperationRepository {
  return new AggregateRepository(rt.events, rt.clock, operationDecider, { maxCached: 1_000 });
}

const PAGE = 200;

type KnownOperation = Exclude<OperationState, { status: 'NONE' }>;

export async function requestOperation(
  rt: JobRuntime,
  operations: OperationRepository,
  request: {
    tenant: string;
    kind: OperationKind;
    filter: JobListFilter & { topic?: string; reason_code?: string };
    reason: string | null;
    by: string;
  },
): Promise<{ operation_id: string; state: OperationState; position: number }> {
  // Refuse a filter no index serves now, not halfway through.
  if (request.kind === 'bulk_cancel') jobIndexFor({ tenant: request.tenant, filter: request.filter, sort: 'created' });
  if (
    request.kind === 'bulk_dlq_retry' &&
    request.filter.topic !== undefined &&
    request.filter.reason_code !== undefined
  ) {
    throw new ValidationError('reason_code', 'topic and reason_code cannot be combined');
  }
  const id = rt.entropy.ulid(rt.clock.now());
  const executed = await operations.execute(
    streamId('op', request.tenant, id),
    (current) =>
      decideOperation(
        {
          type: 'RequestOperation',
          operation_id: id,
          kind: request.kind,
          filter: { ...request.filter },
          reason: request.reason,
          by: request.by,
          now: rt.clock.now(),
        },
        current.state,
      ),
    { actor: request.by },
  );
  if (executed instanceof Error) throw executed;
  return { operation_id: id, state: executed.after.state, position: executed.after.position };
}

export class OperationsRunner {
  readonly #rt: JobRuntime;
  readonly #operations: OperationRepository;
  readonly #deps: { leases: LeaseStore; cursors: CursorStore; claims: KvBucket<IdempotencyClaim>; hasher: Hasher };
  readonly #owner: string;
  readonly #leaseTtlMs: number;
  #lease: Lease | null = null;
  #subscription: Subscription | null = null;
  #tracker = new PositionTracker(0);
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(
    rt: JobRuntime,
    operations: OperationRepository,
    deps: { leases: LeaseStore; cursors: CursorStore; claims: KvBucket<IdempotencyClaim>; hasher: Hasher },
    owner: string,
    leaseTtlMs = 6_000,
  ) {
    this.#rt = rt;
    this.#operations = operations;
    this.#deps = deps;
    this.#owner = owner;
    this.#leaseTtlMs = leaseTtlMs;
  }

  start(): void {
    const loop = () => {
      if (this.#stopped) return;
      void this.#step().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(loop, Math.min(2_000, Math.floor(this.#leaseTtlMs / 3)));
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    await this.#subscription?.stop();
    await this.#deps.cursors.save('operations', this.#tracker.watermark).catch(() => {});
    if (this.#lease !== null) await this.#deps.leases.release(this.#lease).catch(() => false);
  }

  async #step(): Promise<void> {
    try {
      this.#lease =
        this.#lease === null
          ? await this.#deps.leases.acquire('operations', this.#owner, this.#leaseTtlMs)
          : await this.#deps.leases.renew(this.#lease, this.#leaseTtlMs);
      if (this.#lease === null) {
        await this.#subscription?.stop();
        this.#subscription = null;
        return;
      }
      if (this.#subscription === null) {
        const from = await this.#deps.cursors.load('operations');
        this.#tracker = new PositionTracker(from);
        this.#subscription = this.#rt.events.subscribe('op', { from: from + 1 }, async (batch) =>
          this.#onEvents(batch),
        );
      } else {
        await this.#deps.cursors.save('operations', this.#tracker.watermark);
      }
    } catch (error) {
      this.#rt.log.error({ err: error }, 'operations runner step failed');
    }
  }

  async #onEvents(batch: readonly StoredEvent[]): Promise<void> {
    for (const event of batch) {
      if (event.type !== 'OperationRequested') continue;
      const stream = parseStreamId(event.stream_id);
      if (stream === null) continue;
      this.#tracker.begin(event.position);
      void this.#run(stream.tenant, stream.id).finally(() => this.#tracker.end(event.position));
    }
  }

  async #run(tenant: string, id: string): Promise<void> {
    const stream = streamId('op', tenant, id);
    const act = (command: OperationCommand) =>
      this.#operations.execute(stream, (current) => decideOperation(command, current.state), { actor: 'operations' });
    try {
      for (;;) {
        const { state } = await this.#operations.load(stream, { fresh: true });
        if (state.status !== 'RUNNING') return;
        const page = await this.#page(tenant, state);
        let changed = state.changed;
        let failed = state.failed;
        for (const item of page.items) {
          try {
            changed += (await this.#apply(state, item)) ? 1 : 0;
          } catch (error) {
            failed++;
            this.#rt.log.warn({ operation_id: id, item, err: error }, 'bulk operation item failed');
          }
        }
        await act({
          type: 'RecordOperationProgress',
          processed: state.processed + page.items.length,
          changed,
          failed,
          cursor: page.next_cursor,
        });
        if (page.next_cursor === null) {
          await act({ type: 'FinishOperation', status: 'SUCCEEDED', error: null, now: this.#rt.clock.now() });
          return;
        }
      }
    } catch (error) {
      this.#rt.log.error({ operation_id: id, err: error }, 'bulk operation failed');
      await act({
        type: 'FinishOperation',
        status: 'FAILED',
        error: error instanceof Error ? error.message : String(error),
        now: this.#rt.clock.now(),
      });
    }
  }

  async #page(
    tenant: string,
    state: KnownOperation,
  ): Promise<{ items: { tenant: string; job_id: string }[]; next_cursor: string | null }> {
    const cursor = state.cursor ?? undefined;
    if (state.keys.kind === 'bulk_cancel') {
      const ns = await this.#rt.readModels.namespace('jobs');
      if (ns === null) return { items: [], next_cursor: null };
      const page = await listJobs(this.#rt.readModels.store, ns, {
        tenant,
        filter: state.filter,
        sort: 'created',
        limit: PAGE,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return { items: page.items.map((j) => ({ tenant: j.tenant, job_id: j.job_id })), next_cursor: page.next_cursor };
    }
    const ns = await this.#rt.readModels.namespace('dlq');
    if (ns === null) return { items: [], next_cursor: null };
    const page = await listDlq(this.#rt.readModels.store, ns, {
      tenant,
      filter: state.filter,
      limit: PAGE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    return { items: page.items.map((e) => ({ tenant: e.tenant, job_id: e.job_id })), next_cursor: page.next_cursor };
  }

  /** Cancels or retries one item; true when that changed something. */
  async #apply(state: KnownOperation, item: { tenant: string; job_id: string }): Promise<boolean> {
    const by = `operation:${state.keys.operation_id}`;
    if (state.keys.kind === 'bulk_cancel')
      return (await cancelJob(this.#rt, item.tenant, item.job_id, by, state.reason)).changed;
    return (
      await retryDlqEntry(
        this.#rt,
        { claims: this.#deps.claims, hasher: this.#deps.hasher },
        item.tenant,
        item.job_id,
        by,
      )
    ).created;
  }
}
