import type { FlowNode } from './document';

const WIDTH = 240;
const ROW = 150;
const COLUMN = 280;

interface View {
  topLeft: { x: number; y: number };
  bottomRight: { x: number; y: number };
}

function overlaps(nodes: FlowNode[], p: { x: number; y: number }): boolean {
  return nodes.some((n) => Math.abs(n.position.x - p.x) < WIDTH - 20 && Math.abs(n.position.y - p.y) < ROW - 40);
}

/**
 * Where a new node goes: under the selected node (beside it when that spot is taken), or in the
 * middle of what is on screen, never on top of another node.
 */
export function placeNewNode(nodes: FlowNode[], after: FlowNode | undefined, view: View | null) {
  let p = after
    ? { x: after.position.x, y: after.position.y + ROW }
    : view
      ? {
          x: (view.topLeft.x + view.bottomRight.x) / 2 - WIDTH / 2 - 80,
          y: view.topLeft.y + (view.bottomRight.y - view.topLeft.y) / 3,
        }
      : { x: 80, y: 40 };
  for (let i = 0; i < 20 && overlaps(nodes, p); i++) p = { x: p.x + COLUMN, y: p.y };
  return { x: Math.round(p.x), y: Math.round(p.y) };
}
