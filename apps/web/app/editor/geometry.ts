import { builtinRegistry } from '@tripwire/rules';
import type { FlowEdge, FlowNode } from './document';

const WIDTH = 240;
const HEIGHT = 90;

type Point = { x: number; y: number };

/** Where an edge leaves (its output handle, spread along the bottom) and arrives (top centre). */
function ends(nodes: Map<string, FlowNode>, e: FlowEdge): [Point, Point] | null {
  const s = nodes.get(e.source);
  const t = nodes.get(e.target);
  if (!s || !t) return null;
  const outputs: readonly string[] = builtinRegistry.get(s.data.type, s.data.version)?.outputs ?? [];
  const i = Math.max(0, outputs.indexOf(e.sourceHandle ?? outputs[0] ?? ''));
  const w = s.measured?.width ?? WIDTH;
  return [
    { x: s.position.x + ((i + 1) / (outputs.length + 1)) * w, y: s.position.y + (s.measured?.height ?? HEIGHT) },
    { x: t.position.x + (t.measured?.width ?? WIDTH) / 2, y: t.position.y },
  ];
}

function cross(a: Point, b: Point, c: Point, d: Point): boolean {
  const o = (p: Point, q: Point, r: Point) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

/** Pairs of edges whose straight lines cross (two outputs of one node can: true and false swapped). */
export function edgeCrossings(nodes: FlowNode[], edges: FlowEdge[]): [string, string][] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: [string, string][] = [];
  edges.forEach((e1, i) => {
    for (const e2 of edges.slice(i + 1)) {
      // Lines that share an end point touch there; that is not a crossing.
      if (e1.target === e2.target || e1.source === e2.target || e2.source === e1.target) continue;
      if (e1.source === e2.source && (e1.sourceHandle ?? '') === (e2.sourceHandle ?? '')) continue;
      const a = ends(byId, e1);
      const b = ends(byId, e2);
      if (a && b && cross(a[0], a[1], b[0], b[1])) out.push([e1.id, e2.id]);
    }
  });
  return out;
}
