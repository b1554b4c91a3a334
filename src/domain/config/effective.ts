/**
 * The effective config (SPEC 4): system → org → team → workflow → step, shallow merge (a top-level
 * key of a later level replaces the earlier value whole), with a version naming each level's revision
 * and the SHA-256 of the merged data's canonical JSON. The hash function is passed in (the domain
 * has no crypto); it must return the same text for the same input, e.g. lowercase hex.
 */
import { canonicalJson } from '../shared/canonical-json.ts';
import type { JsonObject } from './reader.ts';
import { CONFIG_SCOPES, type ConfigScope } from './scope.ts';

/** One level's document as the merge needs it. */
export interface ConfigLevel {
  readonly revision: number;
  readonly data: JsonObject;
}

/** A missing or null level is absent: it contributes nothing and shows as revision 0. */
export type ConfigLevels = Readonly<Partial<Record<ConfigScope, ConfigLevel | null>>>;

export interface EffectiveConfig {
  readonly data: JsonObject;
  /** `system:3|org:1|team:0|workflow:2|step:0`. */
  readonly version: string;
  readonly hash: string;
}

export type HashText = (text: string) => string;

export function mergeConfigLevels(levels: ConfigLevels): JsonObject {
  // A Map, then Object.fromEntries: assigning a `__proto__` key would set the prototype instead.
  const merged = new Map<string, unknown>();
  for (const scope of CONFIG_SCOPES) {
    const level = levels[scope];
    if (level === undefined || level === null) continue;
    for (const key of Object.keys(level.data)) merged.set(key, level.data[key]);
  }
  return Object.fromEntries(merged);
}

export function configVersion(levels: ConfigLevels): string {
  return CONFIG_SCOPES.map((scope) => `${scope}:${levels[scope]?.revision ?? 0}`).join('|');
}

export function effectiveConfig(levels: ConfigLevels, sha256: HashText): EffectiveConfig {
  const data = mergeConfigLevels(levels);
  return { data, version: configVersion(levels), hash: sha256(canonicalJson(data)) };
}
