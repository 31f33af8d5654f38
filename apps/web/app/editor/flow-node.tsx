import { builtinRegistry } from '@tripwire/rules';
import { NodeShell } from '@tripwire/ui';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNode } from './document';
import { useEditorStore } from './editor-context';
import { RichText } from './rich-text';
import { useNodeErrors } from './validation';

/** Every node type renders through this one component; what differs comes from the registry. */
export const FlowNodeView = memo(function FlowNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const nodeType = builtinRegistry.get(data.type, data.version);
  const errors = useNodeErrors(id);
  const state = useEditorStore((s) => s.highlight[id] ?? s.diff[id]);
  const readOnly = useEditorStore((s) => s.readOnly);
  const deleteNode = useEditorStore((s) => s.deleteNode);
  const typeLabel = nodeType?.label ?? `${data.type}@${data.version}`;
  const own = data.label?.trim();
  const summary = nodeType?.summary(data.config) ?? '';
  return (
    <NodeShell
      kind={nodeType?.kind ?? 'unknown'}
      label={own || typeLabel}
      typeLabel={own ? typeLabel : undefined}
      summary={summary ? <RichText text={summary} /> : null}
      outputs={nodeType?.outputs ?? []}
      hasInput={nodeType?.kind !== 'trigger'}
      selected={selected}
      errors={errors}
      state={state}
      actions={
        selected && !readOnly ? (
          <button
            type="button"
            className="tw-node__delete nodrag"
            aria-label={`Delete ${own || typeLabel}`}
            title="Delete (Del)"
            onClick={(e) => {
              e.stopPropagation();
              deleteNode(id);
            }}
          >
            ✕
          </button>
        ) : null
      }
    />
  );
});

// Module scope: React Flow must get the same object on every render.
export const nodeTypes = { flow: FlowNodeView };
