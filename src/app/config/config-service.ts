/**
 * The config service (SPEC 4): documents are aggregates in the `config` stream, written through the
 * generic command handler (load → decide → append); reads by id come from the event store (never
 * stale, and what `If-Match` is checked against); the effective config is merged from the `config`
 * read model (one multi-key read), optionally after waiting for a position the caller wrote at.
 */
import {
  type ConfigDecision,
  type ConfigDocumentState,
  type ConfigEvent,
  type ConfigCommand,
  configDocumentDecider,
  configStreamId,
  type Precondition,
} from '../../domain/config/document-decider.ts';
import { type EffectiveConfig, effectiveConfig, type HashText } from '../../domain/config/effective.ts';
import type { JsonObject } from '../../domain/config/reader.ts';
import { type EffectiveConfigKey, parseScopeRef, type ScopeRef, scopeChain } from '../../domain/config/scope.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { formatPositionToken, type PositionToken, type StoredEvent } from '../../domain/shared/events.ts';
import { readConfigLevels } from '../../projections/config/queries.ts';
import { configProjection } from '../../projections/config/projection.ts';
import { LruAggregateCache } from '../commands/aggregate-cache.ts';
import { type CommandMetadata, CommandHandler, type CommandResult } from '../commands/command-handler.ts';
import type { Clock, EventStore } from '../ports.ts';
import type { ReadModelAccess } from '../projections/read-model-access.ts';

export interface ConfigDocumentView {
  readonly scope: ScopeRef['scope'];
  readonly scope_id: string;
  readonly org_id: string | null;
  readonly revision: number;
  readonly data: JsonObject;
  readonly updated_at: string;
  readonly updated_by: string;
}

export interface ConfigHistoryEntry {
  readonly type: string;
  readonly time: string;
  readonly actor: string;
  readonly trace_id: string | null;
  readonly position: string;
  readonly revision: number;
  /** The document's data after the change; null for a delete. */
  readonly data: JsonObject | null;
}

export interface ConfigServiceDeps {
  readonly events: EventStore;
  readonly readModels: ReadModelAccess;
  readonly clock: Clock;
  readonly sha256: HashText;
  readonly onAppended?: (event: StoredEvent) => void;
}

export type ConfigWriteResult = CommandResult<ConfigDocumentState, ConfigDecision>;

export class ConfigService {
  readonly #deps: ConfigServiceDeps;
  readonly #handler: CommandHandler<ConfigDocumentState, ConfigCommand, ConfigEvent, ConfigDecision>;

  constructor(deps: ConfigServiceDeps) {
    this.#deps = deps;
    this.#handler = new CommandHandler(deps, configDocumentDecider, {
      cache: new LruAggregateCache(1000),
      ...(deps.onAppended === undefined ? {} : { onAppended: (_stream, event) => deps.onAppended?.(event) }),
    });
  }

  /** A scope reference from request parameters, or a ValidationError naming `scope` or `scope_id`. */
  parseRef(scope: string, scopeId: string): ScopeRef {
    const ref = parseScopeRef(scope, scopeId);
    if (ref instanceof ValidationError) throw ref;
    return ref;
  }

  /** The current document (null when absent or deleted) and the stream's position. */
  async get(ref: ScopeRef): Promise<{ document: ConfigDocumentView | null; position: string }> {
    const stream = configStreamId(ref);
    const history = await this.#deps.events.read(stream);
    let state: ConfigDocumentState = configDocumentDecider.initialState;
    let last: StoredEvent | null = null;
    for (const event of history.events) {
      state = configDocumentDecider.evolve(state, { type: event.type, data: event.data } as ConfigEvent);
      last = event;
    }
    const position = formatPositionToken({ stream: 'config', position: history.lastPosition });
    if (state.status === 'absent' || last === null) return { document: null, position };
    return { document: view(ref, state.revision, state.data, last), position };
  }

  async put(
    ref: ScopeRef,
    data: unknown,
    precondition: Precondition,
    meta: CommandMetadata,
  ): Promise<ConfigWriteResult> {
    const command = { type: 'PutConfig', scope: ref.scope, scope_id: ref.scope_id, data, precondition } as const;
    return this.#handler.execute(configStreamId(ref), command, meta);
  }

  async delete(ref: ScopeRef, precondition: Precondition, meta: CommandMetadata): Promise<ConfigWriteResult> {
    const command = { type: 'DeleteConfig', scope: ref.scope, scope_id: ref.scope_id, precondition } as const;
    return this.#handler.execute(configStreamId(ref), command, meta);
  }

  /** Every change of a document, oldest first, from position `after` (exclusive), at most `limit`. */
  async history(
    ref: ScopeRef,
    page: { readonly after: number; readonly limit: number },
  ): Promise<{ items: ConfigHistoryEntry[]; next: number | null }> {
    // Config documents take no snapshots, so a load from the first event is the whole history.
    const history = await this.#deps.events.read(configStreamId(ref));
    const events = history.events.filter((event) => event.position > page.after);
    const items = events.slice(0, page.limit).map((event): ConfigHistoryEntry => {
      const e = { type: event.type, data: event.data } as ConfigEvent;
      return {
        type: event.type,
        time: event.time,
        actor: event.actor,
        trace_id: event.trace_id,
        position: formatPositionToken({ stream: 'config', position: event.position }),
        revision: e.data.revision,
        data: e.type === 'ConfigPut' ? e.data.data : null,
      };
    });
    const last = events[page.limit - 1];
    return { items, next: events.length > page.limit && last !== undefined ? last.position : null };
  }

  /** The effective config for (org, team, workflow, step), from the read model. */
  async effective(
    key: EffectiveConfigKey,
    wait?: { readonly minPosition: PositionToken; readonly timeoutMs: number; readonly field: string },
  ): Promise<EffectiveConfig> {
    const chain = scopeChain(key);
    if (chain instanceof ValidationError) throw chain;
    if (wait !== undefined) {
      await this.#deps.readModels.waitForPosition(configProjection.name, wait.minPosition, wait.timeoutMs, wait.field);
    }
    const ns = await this.#deps.readModels.namespace(configProjection.name);
    const levels = await readConfigLevels(this.#deps.readModels.reader, ns, chain);
    return effectiveConfig(levels, this.#deps.sha256);
  }
}

function view(ref: ScopeRef, revision: number, data: JsonObject, last: StoredEvent): ConfigDocumentView {
  const org = (last.data as { org_id?: string | null }).org_id ?? null;
  return {
    scope: ref.scope,
    scope_id: ref.scope_id,
    org_id: org,
    revision,
    data,
    updated_at: last.time,
    updated_by: last.actor,
  };
}
