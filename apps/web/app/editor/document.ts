import type { WorkflowDocumentInput } from '@tripwire/rules';
import type { Edge, Node } from '@xyflow/react';

export interface FlowNodeData extends Record<string, unknown> {
  type: string;
  version: number;
  config: Record<string, unknown>;
  /** The name someone gave this node ("Remind about the cart"); the type's label when absent. */
  label?: string;
}
export type FlowNode = Node<FlowNodeData, 'flow'>;
export type FlowEdge = Edge;

/** The canvas is a view of the workflow document: React Flow's field names map onto it 1:1. */
export function fromDocument(doc: WorkflowDocumentInput): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const nodes = doc.nodes.map(
    (n, i): FlowNode => ({
      id: n.id,
      type: 'flow',
      position: n.position ?? { x: 80, y: 40 + i * 140 },
      data: { type: n.type, version: n.version ?? 1, config: n.config ?? {}, ...(n.label ? { label: n.label } : {}) },
    }),
  );
  const edges = doc.edges.map(
    (e): FlowEdge => ({
      id: e.id ?? `${e.source}:${e.sourceHandle ?? ''}->${e.target}`,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle ?? null,
    }),
  );
  return { nodes, edges };
}

export function toDocument(
  name: string,
  description: string | undefined,
  nodes: FlowNode[],
  edges: FlowEdge[],
): WorkflowDocumentInput {
  return {
    name,
    ...(description ? { description } : {}),
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      version: n.data.version,
      ...(n.data.label?.trim() ? { label: n.data.label.trim() } : {}),
      config: n.data.config,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      ...(e.sourceHandle ? { sourceHandle: e.sourceHandle } : {}),
    })),
  };
}
