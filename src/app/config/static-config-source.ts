/**
 * A config source held in memory: the system document (and any others) given at start. Used by tests
 * and by the embedded default until config documents are served by the config service.
 */
import type { ConfigLevels } from '../../domain/config/effective.ts';
import type { EffectiveConfigKey } from '../../domain/config/scope.ts';
import type { ConfigSource } from '../ports.ts';

type Documents = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export class StaticConfigSource implements ConfigSource {
  #documents: Documents;
  readonly #listeners = new Set<() => void>();

  /** Documents keyed `<scope>/<scope_id>`, e.g. `system/default`, `org/acme`, `team/acme:red`. */
  constructor(documents: Documents = {}) {
    this.#documents = documents;
  }

  set(scope: string, scopeId: string, data: Readonly<Record<string, unknown>>): void {
    this.#documents = { ...this.#documents, [`${scope}/${scopeId}`]: data };
    for (const listener of this.#listeners) listener();
  }

  async levels(key: EffectiveConfigKey): Promise<ConfigLevels> {
    const level = (scope: string, id: string | null) => {
      if (id === null) return null;
      const data = this.#documents[`${scope}/${id}`];
      return data === undefined ? null : { data, revision: 1 };
    };
    return {
      system: level('system', 'default'),
      org: level('org', key.org_id),
      team: level('team', key.team_id === null ? null : `${key.org_id}:${key.team_id}`),
      workflow: level('workflow', key.workflow_id === null ? null : `${key.org_id}:${key.workflow_id}`),
      step: level(
        'step',
        key.workflow_id === null || key.step_id === null ? null : `${key.org_id}:${key.workflow_id}:${key.step_id}`,
      ),
    };
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
