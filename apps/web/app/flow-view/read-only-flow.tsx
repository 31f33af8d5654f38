import { builtinRegistry, type WorkflowDocumentInput } from '@tripwire/rules';
import { NodeShell } from '@tripwire/ui';
import {
  Background,
  Controls,
  type Edge,
  type Node,
  type NodeProps,
  ReactFlow,
  ReactFlowProvider,
} from '@xyflow/react';
import { memo, useMemo } from 'react';
import { fromDocument } from '../editor/document';
import { nodeName, nodeSummary } from './describe';

export type NodeState = 'taken' | 'waiting' | 'error';

export interface FlowCounts {
  nodes: { nodeId: string; entered: number; left: number }[];
  outputs: { nodeId: string; output: string; count: number }[];
}

interface ViewNodeData extends Record<string, unknown> {
  node: WorkflowDocumentInput['nodes'][number];
  state?: NodeState | undefined;
  entered?: number | undefined;
  left?: number | undefined;
  /** By output, for nodes with several (true/false…): a branch with nothing connected still shows. */
  outs?: { output: string; count: number }[] | undefined;
  onCount?: ((nodeId: string) => void) | undefined;
}

const fmt = new Intl.NumberFormat();

const ViewNode = memo(function ViewNode({ id, data }: NodeProps<Node<ViewNodeData, 'view'>>) {
  const def = builtinRegistry.get(data.node.type, data.node.version ?? 1);
  const counted = data.entered !== undefined;
  return (
    <NodeShell
      kind={def?.kind ?? 'unknown'}
      label={nodeName(data.node, id)}
      summary={nodeSummary(data.node)}
      outputs={def?.outputs ?? []}
      hasInput={def?.kind !== 'trigger'}
      state={data.state}
      detail={
        counted ? (
          <button
            type="button"
            className="flow-count nodrag"
            onClick={() => data.onCount?.(id)}
            aria-label={`${fmt.format(data.entered ?? 0)} runs entered ${nodeName(data.node, id)}, ${fmt.format(data.left ?? 0)} left; list them`}
          >
            {fmt.format(data.entered ?? 0)} in ·{' '}
            {(def?.outputs.length ?? 0) > 1
              ? (def?.outputs ?? [])
                  .map((o: string) => `${o} ${fmt.format(data.outs?.find((x) => x.output === o)?.count ?? 0)}`)
                  .join(' · ')
              : `${fmt.format(data.left ?? 0)} out`}
          </button>
        ) : undefined
      }
    />
  );
});

// Module scope: React Flow must get the same object on every render.
const nodeTypes = { view: ViewNode };

/**
 * A published version drawn read-only: the path a run took (trace), or how many runs went where
 * (activity). Nothing here edits the document.
 */
export function ReadOnlyFlow({
  document,
  states,
  counts,
  onCount,
  label,
}: {
  document: WorkflowDocumentInput;
  states?: Record<string, NodeState>;
  counts?: FlowCounts | null;
  onCount?: (nodeId: string) => void;
  label: string;
}) {
  const { nodes, edges } = useMemo(() => {
    const flow = fromDocument(document);
    const entered = new Map(counts?.nodes.map((n) => [n.nodeId, n]) ?? []);
    const byOutput = new Map(counts?.outputs.map((o) => [`${o.nodeId}\u0000${o.output}`, o.count]) ?? []);
    const docNodes = new Map(document.nodes.map((n) => [n.id, n]));
    const viewNodes: Node<ViewNodeData, 'view'>[] = flow.nodes.map((n) => ({
      id: n.id,
      type: 'view',
      position: n.position,
      draggable: false,
      connectable: false,
      data: {
        node: docNodes.get(n.id) as ViewNodeData['node'],
        state: states?.[n.id],
        ...(counts
          ? {
              entered: entered.get(n.id)?.entered ?? 0,
              left: entered.get(n.id)?.left ?? 0,
              outs: counts.outputs.filter((o) => o.nodeId === n.id),
              onCount,
            }
          : {}),
      },
    }));
    const viewEdges: Edge[] = flow.edges.map((e) => {
      const def = builtinRegistry.get(docNodes.get(e.source)?.type ?? '', docNodes.get(e.source)?.version ?? 1);
      const output = e.sourceHandle ?? def?.outputs[0] ?? 'next';
      const taken = states?.[e.source] === 'taken' && states?.[e.target] !== undefined;
      const count = counts ? (byOutput.get(`${e.source}\u0000${output}`) ?? 0) : undefined;
      const words = [output !== 'next' ? output : '', count !== undefined ? fmt.format(count) : ''].filter(Boolean);
      return {
        ...e,
        ...(words.length ? { label: words.join(' · ') } : {}),
        ...(taken ? { className: 'edge--taken', animated: true } : {}),
      };
    });
    return { nodes: viewNodes, edges: viewEdges };
  }, [document, states, counts, onCount]);
  return (
    <section className="canvas canvas--view" aria-label={label}>
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          fitView
          fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </ReactFlowProvider>
    </section>
  );
}
