/** Reading config documents from the `config` read model. */
import type { ConfigLevel, ConfigLevels } from '../../domain/config/effective.ts';
import type { JsonObject } from '../../domain/config/reader.ts';
import { CONFIG_SCOPES, type ScopeChain } from '../../domain/config/scope.ts';
import type { ReadModelNamespace } from '../projection.ts';
import type { ReadModelReader } from '../reader.ts';
import { configDocKey } from './projection.ts';

/** The documents of a scope chain (one round trip), as the effective-config merge takes them. */
export async function readConfigLevels(
  reader: ReadModelReader,
  ns: ReadModelNamespace | null,
  chain: ScopeChain,
): Promise<ConfigLevels> {
  const scopes = CONFIG_SCOPES.filter((scope) => chain[scope] !== null);
  if (ns === null) return {};
  const docs = await reader.hgetallMany(
    ns,
    scopes.map((scope) => configDocKey(chain[scope] as NonNullable<ScopeChain[typeof scope]>)),
  );
  const levels: Partial<Record<(typeof scopes)[number], ConfigLevel | null>> = {};
  scopes.forEach((scope, index) => {
    const doc = docs[index];
    levels[scope] =
      doc === null || doc === undefined
        ? null
        : { revision: Number(doc.revision ?? 0), data: JSON.parse(doc.data ?? '{}') as JsonObject };
  });
  return levels;
}
