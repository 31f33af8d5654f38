import {
  builtinRegistry,
  connectionProblem,
  nodeUpgrade,
  type Registry,
  type WorkflowDocumentInput,
} from '@tripwire/rules';
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import { type FlowEdge, type FlowNode, fromDocument, toDocument } from './document';
import { layoutTopDown } from './layout';

interface Snapshot {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export type Highlight = 'taken' | 'waiting' | 'error';

export interface InputProblem {
  nodeId: string;
  field: string;
  message: string;
}

export interface EditorState {
  name: string;
  description: string | undefined;
  nodes: FlowNode[];
  edges: FlowEdge[];
  readOnly: boolean;
  /** The node definitions this editor offers and validates against. */
  registry: Registry;
  past: Snapshot[];
  future: Snapshot[];
  clipboard: Snapshot | null;
  /** Bumped on every change to the document (not on selection), for autosave. */
  revision: number;
  notice: string | null;
  highlight: Record<string, Highlight>;
  /** Nodes to mark in a version diff. */
  diff: Record<string, 'removed' | 'changed'>;
  /** What each look-up answered in the latest test run, by node id: its fields become suggestions. */
  lookupSamples: Record<string, unknown>;
  /**
   * What someone typed that cannot become part of the document yet (a wait of -5 hours, a body
   * that is not JSON), keyed `nodeId:field`. Shown on the field and in the problems bar, and
   * blocks publish, like the document's own problems.
   */
  inputProblems: Record<string, InputProblem>;
  document(): WorkflowDocumentInput;
  load(doc: WorkflowDocumentInput, options?: { readOnly?: boolean }): void;
  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  connect(connection: Connection): void;
  /** Adds a node; with `after`, connects that node's first free output to it. */
  addNode(type: string, position: { x: number; y: number }, options?: { after?: string }): string;
  updateConfig(id: string, config: Record<string, unknown>): void;
  /** Moves a node to the newer version its definition migrates it to (see nodeUpgrade). */
  upgrade(id: string): void;
  updateLabel(id: string, label: string): void;
  deleteNode(id: string): void;
  /** Connects one output of `source` to `target` (or to nothing), replacing what it led to: the keyboard's way to draw an edge. */
  setOutput(source: string, output: string, target: string | null): void;
  setInputProblem(nodeId: string, field: string, message: string | null): void;
  select(id: string | null): void;
  deleteSelected(): void;
  copy(): void;
  paste(): void;
  undo(): void;
  redo(): void;
  autoLayout(): void;
  setNotice(message: string | null): void;
  setHighlight(highlight: Record<string, Highlight>): void;
  setDiff(diff: Record<string, 'removed' | 'changed'>): void;
  setLookupSamples(samples: Record<string, unknown>): void;
}

const HISTORY = 100;

/**
 * The edge that hangs a new node under `source`: its first output with nothing connected yet
 * (a condition's `true` before its `false`), if the connection is allowed at all.
 */
function firstFreeEdge(doc: WorkflowDocumentInput, source: string, target: string, type: string): FlowEdge | null {
  const from = doc.nodes.find((n) => n.id === source);
  const outputs = from ? (builtinRegistry.get(from.type, from.version ?? 1)?.outputs ?? []) : [];
  const nodeType = builtinRegistry.latest(type);
  if (!nodeType || nodeType.kind === 'trigger') return null;
  const probe: WorkflowDocumentInput = {
    ...doc,
    nodes: [...doc.nodes, { id: target, type, version: nodeType.version, config: {} }],
  };
  for (const output of outputs) {
    const used = doc.edges.some((e) => e.source === source && (e.sourceHandle ?? outputs[0]) === output);
    if (used) continue;
    const edge = { source, target, ...(outputs.length > 1 ? { sourceHandle: output } : {}) };
    if (connectionProblem(probe, edge, builtinRegistry)) continue;
    return {
      id: `${source}:${edge.sourceHandle ?? ''}->${target}`,
      source,
      target,
      sourceHandle: edge.sourceHandle ?? null,
    };
  }
  return null;
}
let counter = 0;

function nextId(nodes: FlowNode[], type: string): string {
  const base = type.split('.').pop() ?? 'node';
  let id: string;
  do id = `${base}-${++counter}`;
  while (nodes.some((n) => n.id === id));
  return id;
}

/** One store per editor (created by the provider), so two editors never share state. */
export function createEditorStore(
  initial: WorkflowDocumentInput,
  options: { readOnly?: boolean; registry?: Registry } = {},
) {
  const registry = options.registry ?? builtinRegistry;
  return createStore<EditorState>()((set, get) => {
    /** Records the current graph for undo, before a change. */
    const remember = () => {
      const { nodes, edges, past } = get();
      set({ past: [...past.slice(-HISTORY + 1), { nodes, edges }], future: [] });
    };
    const changed = (patch: Partial<EditorState>) => set({ ...patch, revision: get().revision + 1, highlight: {} });

    return {
      name: initial.name,
      description: initial.description,
      ...fromDocument(initial),
      readOnly: options.readOnly ?? false,
      registry,
      past: [],
      future: [],
      clipboard: null,
      revision: 0,
      notice: null,
      highlight: {},
      diff: {},
      lookupSamples: {},
      inputProblems: {},
      document: () => toDocument(get().name, get().description, get().nodes, get().edges),
      load(doc, opts = {}) {
        set({
          ...fromDocument(doc),
          name: doc.name,
          description: doc.description,
          readOnly: opts.readOnly ?? false,
          past: [],
          future: [],
          highlight: {},
          diff: {},
          inputProblems: {},
        });
      },
      onNodesChange(changes) {
        if (get().readOnly) {
          set({
            nodes: applyNodeChanges(
              changes.filter((c) => c.type === 'select' || c.type === 'dimensions'),
              get().nodes,
            ),
          });
          return;
        }
        const meaningful = changes.some(
          (c) => c.type === 'remove' || (c.type === 'position' && c.dragging === false) || c.type === 'add',
        );
        if (
          changes.some((c) => c.type === 'position' && c.dragging && !get().nodes.find((n) => n.id === c.id)?.dragging)
        )
          remember();
        if (changes.some((c) => c.type === 'remove')) remember();
        const nodes = applyNodeChanges(changes, get().nodes);
        if (meaningful) changed({ nodes });
        else set({ nodes });
      },
      onEdgesChange(changes) {
        if (get().readOnly) {
          set({
            edges: applyEdgeChanges(
              changes.filter((c) => c.type === 'select'),
              get().edges,
            ),
          });
          return;
        }
        if (changes.some((c) => c.type === 'remove')) {
          remember();
          changed({ edges: applyEdgeChanges(changes, get().edges) });
        } else set({ edges: applyEdgeChanges(changes, get().edges) });
      },
      connect(connection) {
        if (get().readOnly) return;
        const edge = {
          source: connection.source,
          target: connection.target,
          ...(connection.sourceHandle ? { sourceHandle: connection.sourceHandle } : {}),
        };
        const problem = connectionProblem(get().document(), edge, registry);
        if (problem) {
          set({ notice: `Connection refused: ${problem}` });
          return;
        }
        remember();
        const id = `${connection.source}:${connection.sourceHandle ?? ''}->${connection.target}`;
        changed({ edges: addEdge({ ...connection, id }, get().edges), notice: null });
      },
      addNode(type, position, opts = {}) {
        const nodeType = registry.latest(type);
        const id = nextId(get().nodes, type);
        remember();
        const edge = opts.after ? firstFreeEdge(get().document(), opts.after, id, type) : null;
        const node: FlowNode = {
          id,
          type: 'flow',
          position,
          selected: true,
          data: {
            type,
            version: nodeType?.version ?? 1,
            config: structuredClone(nodeType?.defaults ?? {}) as Record<string, unknown>,
          },
        };
        changed({
          nodes: [...get().nodes.map((n) => ({ ...n, selected: false })), node],
          ...(edge ? { edges: addEdge(edge, get().edges) } : {}),
        });
        return id;
      },
      updateLabel(id, label) {
        if (get().readOnly) return;
        remember();
        const text = label.slice(0, 80);
        changed({
          nodes: get().nodes.map((n) => {
            if (n.id !== id) return n;
            const { label: _old, ...data } = n.data;
            return { ...n, data: text.trim() ? { ...data, label: text } : data };
          }),
        });
      },
      deleteNode(id) {
        if (get().readOnly || !get().nodes.some((n) => n.id === id)) return;
        remember();
        const { [`${id}:`]: _gone, ...rest } = get().inputProblems;
        changed({
          nodes: get().nodes.filter((n) => n.id !== id),
          edges: get().edges.filter((e) => e.source !== id && e.target !== id),
          inputProblems: Object.fromEntries(Object.entries(rest).filter(([, p]) => p.nodeId !== id)),
        });
      },
      setOutput(source, output, target) {
        if (get().readOnly) return;
        const from = get().nodes.find((n) => n.id === source);
        const outputs = from ? (builtinRegistry.get(from.data.type, from.data.version)?.outputs ?? []) : [];
        const handleOf = (e: FlowEdge) => e.sourceHandle ?? outputs[0];
        const kept = get().edges.filter((e) => !(e.source === source && handleOf(e) === output));
        if (target) {
          const edge = { source, target, ...(outputs.length > 1 ? { sourceHandle: output } : {}) };
          const doc = { ...get().document(), edges: toDocument('', undefined, [], kept).edges };
          const problem = connectionProblem(doc, edge, builtinRegistry);
          if (problem) {
            set({ notice: `Connection refused: ${problem}` });
            return;
          }
          remember();
          const id = `${source}:${edge.sourceHandle ?? ''}->${target}`;
          changed({
            edges: [...kept, { id, source, target, sourceHandle: edge.sourceHandle ?? null }],
            notice: null,
          });
          return;
        }
        if (kept.length === get().edges.length) return;
        remember();
        changed({ edges: kept });
      },
      setInputProblem(nodeId, field, message) {
        const key = `${nodeId}:${field}`;
        const current = get().inputProblems[key];
        if ((current?.message ?? null) === message) return;
        const { [key]: _old, ...rest } = get().inputProblems;
        set({ inputProblems: message ? { ...rest, [key]: { nodeId, field, message } } : rest });
      },
      updateConfig(id, config) {
        if (get().readOnly) return;
        remember();
        changed({ nodes: get().nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, config } } : n)) });
      },
      upgrade(id) {
        const node = get().nodes.find((n) => n.id === id);
        const upgrade = node && !get().readOnly ? nodeUpgrade(registry, node.data) : undefined;
        if (!upgrade) return;
        remember();
        changed({
          nodes: get().nodes.map((n) =>
            n.id === id ? { ...n, data: { ...n.data, version: upgrade.version, config: upgrade.config } } : n,
          ),
        });
      },
      select(id) {
        set({
          nodes: get().nodes.map((n) => ({ ...n, selected: n.id === id })),
          edges: get().edges.map((e) => ({ ...e, selected: false })),
        });
      },
      deleteSelected() {
        if (get().readOnly) return;
        const gone = new Set(
          get()
            .nodes.filter((n) => n.selected)
            .map((n) => n.id),
        );
        const edges = get().edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
        if (gone.size === 0 && edges.length === get().edges.length) return;
        remember();
        changed({ nodes: get().nodes.filter((n) => !gone.has(n.id)), edges });
      },
      copy() {
        const nodes = get().nodes.filter((n) => n.selected);
        const ids = new Set(nodes.map((n) => n.id));
        set({ clipboard: { nodes, edges: get().edges.filter((e) => ids.has(e.source) && ids.has(e.target)) } });
      },
      paste() {
        const clip = get().clipboard;
        if (!clip || clip.nodes.length === 0 || get().readOnly) return;
        remember();
        const all = [...get().nodes];
        const rename = new Map<string, string>();
        const pasted = clip.nodes.map((n) => {
          const id = nextId(all, n.data.type);
          rename.set(n.id, id);
          const copy: FlowNode = {
            ...n,
            id,
            selected: true,
            position: { x: n.position.x + 40, y: n.position.y + 40 },
            data: structuredClone(n.data),
          };
          all.push(copy);
          return copy;
        });
        const edges = clip.edges.map((e) => {
          const source = rename.get(e.source) as string;
          const target = rename.get(e.target) as string;
          return { ...e, id: `${source}:${e.sourceHandle ?? ''}->${target}`, source, target, selected: false };
        });
        changed({
          nodes: [...get().nodes.map((n) => ({ ...n, selected: false })), ...pasted],
          edges: [...get().edges, ...edges],
        });
      },
      undo() {
        const { past, future, nodes, edges } = get();
        const previous = past.at(-1);
        if (!previous) return;
        set({ past: past.slice(0, -1), future: [{ nodes, edges }, ...future] });
        changed({ nodes: previous.nodes, edges: previous.edges });
      },
      redo() {
        const { past, future, nodes, edges } = get();
        const next = future[0];
        if (!next) return;
        set({ past: [...past, { nodes, edges }], future: future.slice(1) });
        changed({ nodes: next.nodes, edges: next.edges });
      },
      autoLayout() {
        if (get().readOnly) return;
        remember();
        changed({ nodes: layoutTopDown(get().nodes, get().edges) });
      },
      setNotice: (notice) => set({ notice }),
      setHighlight: (highlight) => set({ highlight }),
      setDiff: (diff) => set({ diff }),
      setLookupSamples: (samples) => set({ lookupSamples: { ...get().lookupSamples, ...samples } }),
    };
  });
}
export type EditorStore = ReturnType<typeof createEditorStore>;
