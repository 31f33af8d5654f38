import { builtinRegistry } from '../nodes/builtin.ts';
import type { Registry } from '../registry.ts';
import type { WorkflowDocumentInput } from './document.ts';
import { sameJson } from './same-json.ts';

export interface WorkflowDiff {
  nodes: {
    added: string[];
    removed: string[];
    /** Type, version, name or config differ. */
    changed: string[];
    /** Position differs; independent of `changed`, so a node can be in both. */
    moved: string[];
  };
  /** Keys `source:handle->target`. */
  edges: { added: string[]; removed: string[] };
}

type InputNode = WorkflowDocumentInput['nodes'][number];

/**
 * What changed between two versions, for highlighting in the version history. Edges are compared
 * by what they connect, not by id, and a missing handle on a one-output node is that output, so
 * re-saving from the canvas does not show unchanged edges as replaced.
 */
export function diffWorkflows(
  before: WorkflowDocumentInput,
  after: WorkflowDocumentInput,
  registry: Registry = builtinRegistry,
): WorkflowDiff {
  const old = byId(before.nodes);
  const now = byId(after.nodes);
  const kept = [...now.keys()].filter((id) => old.has(id));
  const oldEdges = edgeKeys(before, old, registry);
  const newEdges = edgeKeys(after, now, registry);
  return {
    nodes: {
      added: [...now.keys()].filter((id) => !old.has(id)),
      removed: [...old.keys()].filter((id) => !now.has(id)),
      changed: kept.filter((id) => changed(old.get(id) as InputNode, now.get(id) as InputNode)),
      moved: kept.filter((id) => !samePosition(old.get(id)?.position, now.get(id)?.position)),
    },
    edges: {
      added: [...newEdges].filter((key) => !oldEdges.has(key)),
      removed: [...oldEdges].filter((key) => !newEdges.has(key)),
    },
  };
}

/** The first node with an id wins, as in the validator. */
function byId(nodes: InputNode[]): Map<string, InputNode> {
  const map = new Map<string, InputNode>();
  for (const node of nodes) if (!map.has(node.id)) map.set(node.id, node);
  return map;
}

function changed(a: InputNode, b: InputNode): boolean {
  return (
    a.type !== b.type ||
    (a.version ?? 1) !== (b.version ?? 1) ||
    (a.label ?? '') !== (b.label ?? '') ||
    !sameJson(a.config, b.config)
  );
}

function samePosition(a: InputNode['position'], b: InputNode['position']): boolean {
  return a === b || (a !== undefined && b !== undefined && a.x === b.x && a.y === b.y);
}

function edgeKeys(doc: WorkflowDocumentInput, nodes: Map<string, InputNode>, registry: Registry): Set<string> {
  const keys = new Set<string>();
  for (const edge of doc.edges) {
    const source = nodes.get(edge.source);
    const outputs: readonly string[] = source ? (registry.get(source.type, source.version ?? 1)?.outputs ?? []) : [];
    const handle = edge.sourceHandle ?? (outputs.length === 1 ? outputs[0] : '');
    keys.add(`${edge.source}:${handle}->${edge.target}`);
  }
  return keys;
}
