import dagre from '@dagrejs/dagre';
import type { FlowEdge, FlowNode } from './document';

const WIDTH = 240;
const HEIGHT = 90;

/** One-click tidy-up: dagre's layered layout, top to bottom. */
export function layoutTopDown(nodes: FlowNode[], edges: FlowEdge[]): FlowNode[] {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 60, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.measured?.width ?? WIDTH, height: n.measured?.height ?? HEIGHT });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    return p
      ? { ...n, position: { x: p.x - (n.measured?.width ?? WIDTH) / 2, y: p.y - (n.measured?.height ?? HEIGHT) / 2 } }
      : n;
  });
}
