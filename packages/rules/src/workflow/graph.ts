import type { RuleValidationError } from '../errors.ts';

// Graph checks over edges that already point at known nodes and handles.

export interface GraphEdge {
  index: number;
  id?: string;
  source: string;
  target: string;
}

export function findCycles(nodeIds: string[], edges: GraphEdge[]): RuleValidationError[] {
  const out = new Map<string, GraphEdge[]>(nodeIds.map((id) => [id, []]));
  for (const edge of edges) out.get(edge.source)?.push(edge);
  const state = new Map<string, 'visiting' | 'done'>();
  const errors: RuleValidationError[] = [];
  for (const start of nodeIds) {
    if (state.has(start)) continue;
    // Iterative DFS: documents are bounded, but recursion depth should never depend on input.
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const edge = out.get(frame.id)?.[frame.next++];
      if (edge === undefined) {
        state.set(frame.id, 'done');
        stack.pop();
        continue;
      }
      const seen = state.get(edge.target);
      if (seen === 'visiting') {
        errors.push({
          nodeId: edge.target,
          ...(edge.id !== undefined ? { edgeId: edge.id } : {}),
          path: ['edges', edge.index],
          code: 'graph.cycle',
          message: 'This edge closes a loop; workflows must not contain cycles',
        });
      } else if (seen === undefined) {
        state.set(edge.target, 'visiting');
        stack.push({ id: edge.target, next: 0 });
      }
    }
  }
  return errors;
}

export function reachableFrom(start: string, edges: GraphEdge[]): Set<string> {
  const out = new Map<string, string[]>();
  for (const edge of edges) out.set(edge.source, [...(out.get(edge.source) ?? []), edge.target]);
  const seen = new Set([start]);
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const next of out.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
