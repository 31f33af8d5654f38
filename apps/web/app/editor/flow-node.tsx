import { builtinRegistry } from '@tripwire/rules';
import { NodeShell } from '@tripwire/ui';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode } from './document';
import { useEditorStore } from './editor-context';
import { useNodeErrors } from './validation';

/** Every node type renders through this one component; what differs comes from the registry. */
export const FlowNodeView = memo(function FlowNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const nodeType = builtinRegistry.get(data.type, data.version);
  const errors = useNodeErrors(id);
  const state = useEditorStore((s) => s.highlight[id] ?? s.diff[id]);
  return (
    <NodeShell
      kind={nodeType?.kind ?? 'unknown'}
      label={nodeType?.label ?? `${data.type}@${data.version}`}
      summary={nodeType?.summary(data.config) ?? ''}
      outputs={nodeType?.outputs ?? []}
      hasInput={nodeType?.kind !== 'trigger'}
      selected={selected}
      errors={errors}
      state={state}
    />
  );
});

// Module scope: React Flow must get the same object on every render.
export const nodeTypes = { flow: FlowNodeView };
