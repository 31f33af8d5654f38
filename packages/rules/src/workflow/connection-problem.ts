import { builtinRegistry } from '../nodes/builtin.ts';
import type { AnyNodeType, Registry } from '../registry.ts';
import type { WorkflowDocumentInput } from './document.ts';
import { reachableFrom } from './graph.ts';

/** What React Flow's `isValidConnection` gets; its handles are `null` when absent. */
export interface ConnectionAttempt {
  source: string;
  sourceHandle?: string | null;
  target: string;
}

type InputNode = WorkflowDocumentInput['nodes'][number];

/**
 * Why the canvas should refuse this edge, as a sentence for a tooltip, or null when it is fine.
 * The same rules as validateWorkflow's edge checks, asked before the edge exists; the draft
 * itself may be invalid elsewhere.
 */
export function connectionProblem(
  doc: WorkflowDocumentInput,
  edge: ConnectionAttempt,
  registry: Registry = builtinRegistry,
): string | null {
  // The first node with an id wins, as in the validator.
  const nodes = new Map<string, InputNode>();
  for (const node of doc.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  if (!source) return `There is no node ${edge.source} to connect from`;
  if (!target) return `There is no node ${edge.target} to connect to`;
  if (edge.source === edge.target) return 'A node cannot connect to itself';
  if (typeOf(target, registry)?.kind === 'trigger') return 'A trigger starts the workflow; nothing can lead into it';

  const sourceType = typeOf(source, registry);
  const handle = resolveHandle(sourceType, edge.sourceHandle ?? undefined);
  if (!handle.ok) return handle.problem;
  const same = doc.edges.some(
    (e) =>
      e.source === edge.source &&
      e.target === edge.target &&
      resolveHandle(sourceType, e.sourceHandle ?? undefined).handle === handle.handle,
  );
  if (same) return 'These two nodes are already connected from this output';
  const edges = doc.edges.map((e, index) => ({ index, source: e.source, target: e.target }));
  if (reachableFrom(edge.target, edges).has(edge.source)) {
    return 'This connection would create a loop; a workflow must always move forward';
  }
  return null;
}

function typeOf(node: InputNode, registry: Registry): AnyNodeType | undefined {
  return registry.get(node.type, node.version ?? 1);
}

/** The output an edge leaves from; unknown node types accept any handle (they carry their own error). */
function resolveHandle(
  nodeType: AnyNodeType | undefined,
  handle: string | undefined,
): { ok: true; handle: string | undefined } | { ok: false; problem: string; handle?: undefined } {
  if (!nodeType) return { ok: true, handle };
  const outputs: readonly string[] = nodeType.outputs;
  if (handle === undefined) {
    if (outputs.length === 1) return { ok: true, handle: outputs[0] };
    return {
      ok: false,
      problem: `${nodeType.label} has several outputs (${outputs.join(', ')}); connect from one of them`,
    };
  }
  if (!outputs.includes(handle)) {
    return { ok: false, problem: `${nodeType.label} has no output "${handle}" (its outputs: ${outputs.join(', ')})` };
  }
  return { ok: true, handle };
}
