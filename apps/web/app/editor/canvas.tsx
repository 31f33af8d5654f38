import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useEditorApi, useEditorStore } from './editor-context';
import { nodeTypes } from './flow-node';
import { DRAG_TYPE } from './palette';
import { useErrors } from './validation';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

/** Room kept free for the mini map (top right) when fitting the view, so it never covers a node. */
export const FIT_OPTIONS = {
  padding: { top: '48px', left: '48px', bottom: '48px', right: '216px' },
  maxZoom: 1.1,
} as const;

export function Canvas({ onShortcuts }: { onShortcuts(): void }) {
  const api = useEditorApi();
  const { nodes, edges, onNodesChange, onEdgesChange, connect, readOnly } = useEditorStore((s) => ({
    nodes: s.nodes,
    edges: s.edges,
    onNodesChange: s.onNodesChange,
    onEdgesChange: s.onEdgesChange,
    connect: s.connect,
    readOnly: s.readOnly,
  }));
  const { screenToFlowPosition } = useReactFlow();
  // Fit the view to a loaded flow once; an empty canvas keeps its scale as nodes arrive.
  const [fitOnLoad] = useState(() => nodes.length > 0);
  // Named outputs (true/false, received/timeout, pass/limited) are written on their edges; an edge
  // with a validation error is drawn red with the reason as its label.
  const errors = useErrors();
  const labelled = useMemo(() => {
    const byEdge = new Map(errors.filter((e) => e.edgeId).map((e) => [e.edgeId, e.message]));
    return edges.map((e) => {
      const problem = byEdge.get(e.id);
      if (problem) return { ...e, label: problem, className: 'edge--error' };
      return e.sourceHandle && e.sourceHandle !== 'next' ? { ...e, label: e.sourceHandle } : e;
    });
  }, [edges, errors]);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const type = e.dataTransfer.getData(DRAG_TYPE);
      if (type) api.getState().addNode(type, screenToFlowPosition({ x: e.clientX - 120, y: e.clientY - 30 }));
    },
    [api, screenToFlowPosition],
  );

  // Keyboard: undo/redo, copy/paste, delete — but never while typing in a form field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const s = api.getState();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        s.redo();
      } else if (mod && e.key.toLowerCase() === 'c') s.copy();
      else if (mod && e.key.toLowerCase() === 'v') s.paste();
      else if (e.key === 'Delete' || e.key === 'Backspace') s.deleteSelected();
      else if (e.key === '?') onShortcuts();
      else if (e.key === 'Escape') s.select(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api, onShortcuts]);

  return (
    <section className="canvas" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} aria-label="Flow canvas">
      <ReactFlow
        nodes={nodes}
        edges={labelled}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        fitView={fitOnLoad}
        fitViewOptions={FIT_OPTIONS}
        proOptions={{ hideAttribution: true }}
        minZoom={0.2}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable ariaLabel="Mini map" position="top-right" style={{ width: 160, height: 100 }} />
        <Controls fitViewOptions={FIT_OPTIONS} showInteractive={false} />
      </ReactFlow>
    </section>
  );
}
