/**
 * The `config` read model (SPEC 4): the current document of every (scope, scope id), so an effective
 * config is one multi-key read of at most five hashes. Built from config events alone.
 *
 *   d:<scope>:<scope_id>   the document: scope, scope_id, org_id, revision, data (JSON), updated_at
 *                          (ms), updated_by (the actor), position (of the event that wrote it)
 *
 * Scope ids name their org (`acme:platform`), so the key is unique across tenants.
 */
import type { ConfigEvent } from '../../domain/config/document-decider.ts';
import { CONFIG_EVENT_TYPES } from '../../domain/config/document-decider.ts';
import type { ScopeRef } from '../../domain/config/scope.ts';
import type { StoredEvent } from '../../domain/shared/events.ts';
import type { Projection } from '../projection.ts';
import { del, hset, type Write } from '../write.ts';

const TYPES: ReadonlySet<string> = new Set(CONFIG_EVENT_TYPES);

export function configDocKey(ref: ScopeRef): string {
  return `d:${ref.scope}:${ref.scope_id}`;
}

export const configProjection: Projection = {
  name: 'config',
  schema: 1,
  streams: ['config'],
  evolve(stored: StoredEvent): Write[] {
    if (!TYPES.has(stored.type)) return [];
    const event = { type: stored.type, data: stored.data } as ConfigEvent;
    switch (event.type) {
      case 'ConfigPut':
        return [
          // The whole document is replaced: no field of an older revision may survive.
          del(configDocKey(event.data)),
          hset(configDocKey(event.data), {
            scope: event.data.scope,
            scope_id: event.data.scope_id,
            org_id: event.data.org_id ?? '',
            revision: String(event.data.revision),
            data: JSON.stringify(event.data.data),
            updated_at: String(Date.parse(stored.time)),
            updated_by: stored.actor,
            position: String(stored.position),
          }),
        ];
      case 'ConfigDeleted':
        return [del(configDocKey(event.data))];
    }
  },
};
