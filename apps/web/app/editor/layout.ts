import dagre from '@dagrejs/dagre';
import { builtinRegistry } from '@tripwire/rules';
import type { FlowEdge, FlowNode } from './document';

const WIDTH = 240;
const HEIGHT = 90;

function outputIndex(nodes: Map<string, FlowNode>, edge: FlowEdge): number {
  const source = nodes.get(edge.source);
  const outputs: readonly string[] = source
    ? (builtinRegistry.get(source.data.type, source.data.version)?.outputs ?? [])
    : [];
  const i = outputs.indexOf(edge.sourceHandle ?? outputs[0] ?? '');
  return i < 0 ? 0 : i;
}

/**
 * One-click tidy-up: dagre's layered layout, top to bottom. Dagre knows nothing of a node's named
 * outputs, so the children of a node with several outputs are then put in the order of those
 * outputs (true left of false, received left of timeout): their edges do not cross.
 */
export function layoutTopDown(nodes: FlowNode[], edges: FlowEdge[]): FlowNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? WIDTH, height: n.measured?.height ?? HEIGHT });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // Edges in output order, which dagre's ordering heuristics start from.
  const ordered = [...edges].sort((a, b) => outputIndex(byId, a) - outputIndex(byId, b));
  for (const e of ordered) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const x = new Map(nodes.map((n) => [n.id, g.node(n.id)?.x ?? 0]));
  for (const n of nodes) {
    const children = ordered.filter((e) => e.source === n.id && g.predecessors(e.target)?.length === 1);
    if (children.length < 2) continue;
    const slots = children.map((e) => x.get(e.target) ?? 0).sort((a, b) => a - b);
    for (const [i, e] of children.entries()) x.set(e.target, slots[i] as number);
  }
  return nodes.map((n) => {
    const p = g.node(n.id);
    if (!p) return n;
    const w = n.measured?.width ?? WIDTH;
    const h = n.measured?.height ?? HEIGHT;
    return { ...n, position: { x: (x.get(n.id) ?? p.x) - w / 2, y: p.y - h / 2 } };
  });
}
