/** The step graph: the cycle a save error names, the scheduler's order, and a step's ancestors. */
import { describe, expect, it } from 'vitest';
import { ancestorsOf, findCycle, topologicalOrder } from '../../../../src/domain/workflow/graph.ts';

describe('findCycle', () => {
  it('finds none in a graph without one (a diamond included)', () => {
    expect(findCycle({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] })).toBeNull();
  });

  it('names just the cycle, not the steps that lead to it', () => {
    expect(findCycle({ a: ['b'], b: ['c'], c: ['b'] })).toEqual(['b', 'c', 'b']);
  });

  it('leaves out branches explored before the cycle closed', () => {
    expect(findCycle({ a: ['c'], c: ['b', 'd'], b: [], d: ['c'] })).toEqual(['c', 'd', 'c']);
  });

  it('finds a cycle that does not start at the first step', () => {
    expect(findCycle({ a: [], b: ['c'], c: ['b'] })).toEqual(['b', 'c', 'b']);
  });

  it('reports the same cycle whatever order steps and dependencies were written in', () => {
    expect(findCycle({ z: ['y'], y: ['z'], b: ['a'], a: ['b'] })).toEqual(['a', 'b', 'a']);
    expect(findCycle({ a: ['c', 'b'], b: ['a'], c: ['a'] })).toEqual(['a', 'b', 'a']);
  });
});

describe('topologicalOrder', () => {
  it('puts every step after its dependencies, ties by id', () => {
    expect(topologicalOrder({ c: [], a: [], b: [] })).toEqual(['a', 'b', 'c']);
    expect(topologicalOrder({ deploy: ['test', 'build'], test: ['build'], build: [], lint: [] })).toEqual([
      'build',
      'lint',
      'test',
      'deploy',
    ]);
  });

  it('refuses a graph with a cycle', () => {
    expect(() => topologicalOrder({ a: ['b'], b: ['a'] })).toThrow('topologicalOrder: the graph has a cycle');
  });
});

describe('ancestorsOf', () => {
  it('collects direct and indirect dependencies, once each, not the step itself', () => {
    const graph = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] };
    expect([...ancestorsOf(graph, 'd')].sort()).toEqual(['a', 'b', 'c']);
    expect(ancestorsOf(graph, 'a').size).toBe(0);
    expect(ancestorsOf(graph, 'unknown').size).toBe(0);
  });
});
