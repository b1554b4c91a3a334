/**
 * The step graph: `depends_on` edges. Cycle detection that names the cycle (a save error must say
 * which steps to fix), a deterministic topological order (the scheduler walks it so equal inputs
 * always give equal events), and ancestors (what an expression may read, what a rerun reuses).
 */

/** Step id → the steps it depends on. Every id named must be a key (checked before). */
export type DependencyMap = Readonly<Record<string, readonly string[]>>;

function depsOf(graph: DependencyMap, id: string): readonly string[] {
  return Object.hasOwn(graph, id) ? (graph[id] ?? []) : [];
}

/**
 * A cycle as the list of its steps in dependency order, the first repeated at the end
 * (`["a", "b", "a"]`: a depends on b, b on a), or null. Steps are visited in sorted order, so the
 * same graph always reports the same cycle.
 */
export function findCycle(graph: DependencyMap): readonly string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): readonly string[] | null => {
    const seen = state.get(id);
    if (seen === 'done') return null;
    if (seen === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const dep of [...depsOf(graph, id)].sort()) {
      const cycle = visit(dep);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of Object.keys(graph).sort()) {
    const cycle = visit(id);
    if (cycle !== null) return cycle;
  }
  return null;
}

/** Kahn's order, ties broken by id: every step after all of its dependencies. Assumes no cycle. */
export function topologicalOrder(graph: DependencyMap): readonly string[] {
  const ids = Object.keys(graph).sort();
  const remaining = new Map(ids.map((id) => [id, new Set(depsOf(graph, id))]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining.entries()].filter(([, deps]) => deps.size === 0).map(([id]) => id);
    if (ready.length === 0) throw new Error('topologicalOrder: the graph has a cycle');
    for (const id of ready) {
      order.push(id);
      remaining.delete(id);
      for (const deps of remaining.values()) deps.delete(id);
    }
  }
  return order;
}

/** Every step `id` depends on, directly or through others (not `id` itself). */
export function ancestorsOf(graph: DependencyMap, id: string): ReadonlySet<string> {
  const found = new Set<string>();
  const stack = [...depsOf(graph, id)];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || found.has(next)) continue;
    found.add(next);
    stack.push(...depsOf(graph, next));
  }
  return found;
}
