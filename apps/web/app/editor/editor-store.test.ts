import { builtinNodeTypes, createRegistry, defineNodeType, f, starterTemplates } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import { createEditorStore } from './editor-store';

const empty = { name: 'Test', nodes: [], edges: [] };

describe('editor store', () => {
  it('refuses an invalid connection with the reason and keeps the graph unchanged', () => {
    const store = createEditorStore(empty);
    const s = store.getState();
    const trigger = s.addNode('trigger.event', { x: 0, y: 0 });
    const hook = s.addNode('action.webhook', { x: 0, y: 150 });
    store.getState().connect({ source: hook, sourceHandle: 'next', target: trigger, targetHandle: null });
    expect(store.getState().edges).toHaveLength(0);
    expect(store.getState().notice).toMatch(/^Connection refused: /);
    store.getState().connect({ source: trigger, sourceHandle: 'next', target: hook, targetHandle: null });
    expect(store.getState().edges).toHaveLength(1);
    expect(store.getState().document().edges).toEqual([
      { id: `${trigger}:next->${hook}`, source: trigger, target: hook, sourceHandle: 'next' },
    ]);
  });

  it('undoes and redoes additions, config edits and deletions', () => {
    const store = createEditorStore(empty);
    const id = store.getState().addNode('trigger.event', { x: 0, y: 0 });
    store.getState().updateConfig(id, { event: 'signup' });
    store.getState().deleteSelected();
    expect(store.getState().nodes).toHaveLength(0);
    store.getState().undo();
    expect(store.getState().nodes[0]?.data.config).toEqual({ event: 'signup' });
    store.getState().undo();
    expect(store.getState().nodes[0]?.data.config).toEqual({});
    store.getState().undo();
    expect(store.getState().nodes).toHaveLength(0);
    store.getState().redo();
    store.getState().redo();
    expect(store.getState().nodes[0]?.data.config).toEqual({ event: 'signup' });
  });

  it('copies and pastes the selection with fresh ids and its inner edges', () => {
    const doc = structuredClone(starterTemplates[0]?.document) as typeof empty;
    const store = createEditorStore(doc);
    const before = store.getState().nodes.length;
    store.setState({ nodes: store.getState().nodes.map((n) => ({ ...n, selected: true })) });
    store.getState().copy();
    store.getState().paste();
    const after = store.getState();
    expect(after.nodes).toHaveLength(before * 2);
    expect(new Set(after.nodes.map((n) => n.id)).size).toBe(before * 2);
    expect(after.edges).toHaveLength(doc.edges.length * 2);
  });

  it('is read-only when viewing a version', () => {
    const store = createEditorStore(empty, { readOnly: true });
    store.getState().updateConfig('x', {});
    store.getState().autoLayout();
    expect(store.getState().revision).toBe(0);
  });

  it('connects a new node under the selected one, to its first free output', () => {
    const store = createEditorStore(empty);
    const trigger = store.getState().addNode('trigger.event', { x: 0, y: 0 });
    const cond = store.getState().addNode('condition.if', { x: 0, y: 150 }, { after: trigger });
    const yes = store.getState().addNode('action.log', { x: 0, y: 300 }, { after: cond });
    const no = store.getState().addNode('action.log', { x: 300, y: 300 }, { after: cond });
    const edges = store
      .getState()
      .document()
      .edges.map((e) => `${e.source}:${e.sourceHandle ?? ''}->${e.target}`);
    expect(edges).toEqual([`${trigger}:->${cond}`, `${cond}:true->${yes}`, `${cond}:false->${no}`]);
    // A trigger is never hung under anything.
    store.getState().addNode('trigger.event', { x: 0, y: 450 }, { after: yes });
    expect(store.getState().edges).toHaveLength(3);
  });

  it('names a node, deletes it with its edges, and undoes that', () => {
    const store = createEditorStore(empty);
    const trigger = store.getState().addNode('trigger.event', { x: 0, y: 0 });
    const hook = store.getState().addNode('action.webhook', { x: 0, y: 150 }, { after: trigger });
    store.getState().updateLabel(hook, 'Tell sales');
    expect(store.getState().document().nodes[1]?.label).toBe('Tell sales');
    store.getState().updateLabel(hook, '  ');
    expect(store.getState().document().nodes[1]).not.toHaveProperty('label');
    store.getState().deleteNode(hook);
    expect(store.getState().document()).toMatchObject({ nodes: [{ id: trigger }], edges: [] });
    store.getState().undo();
    expect(store.getState().document().edges).toHaveLength(1);
  });

  it('connects and disconnects an output from a menu, refusing what the canvas refuses', () => {
    const store = createEditorStore(empty);
    const trigger = store.getState().addNode('trigger.event', { x: 0, y: 0 });
    const cond = store.getState().addNode('condition.if', { x: 0, y: 150 });
    const log = store.getState().addNode('action.log', { x: 0, y: 300 });
    store.getState().setOutput(cond, 'false', log);
    store.getState().setOutput(trigger, 'next', cond);
    expect(
      store
        .getState()
        .document()
        .edges.map((e) => e.id),
    ).toEqual([`${cond}:false->${log}`, `${trigger}:->${cond}`]);
    store.getState().setOutput(log, 'next', trigger);
    expect(store.getState().notice).toMatch(/^Connection refused/);
    store.getState().setOutput(cond, 'false', null);
    expect(store.getState().edges).toHaveLength(1);
  });

  it('keeps typed problems apart from the document and drops them with their node', () => {
    const store = createEditorStore(empty);
    const wait = store.getState().addNode('wait.delay', { x: 0, y: 0 });
    store.getState().setInputProblem(wait, 'duration', 'Enter a time between 1 second and 90 days');
    expect(Object.values(store.getState().inputProblems)).toEqual([
      { nodeId: wait, field: 'duration', message: 'Enter a time between 1 second and 90 days' },
    ]);
    store.getState().deleteNode(wait);
    expect(store.getState().inputProblems).toEqual({});
  });
});

describe('editor store: node versions', () => {
  const greet = (version: number, extra: object = {}) =>
    defineNodeType({
      type: 'test.greet',
      version,
      kind: 'action',
      label: 'Greet',
      description: `Version ${version}.`,
      icon: 'hand',
      outputs: ['next'],
      config: version === 1 ? { name: f.string({ label: 'Name' }) } : { greeting: f.template({ label: 'Greeting' }) },
      ...extra,
    });
  const registry = createRegistry([
    ...builtinNodeTypes,
    greet(1),
    greet(2, { migrate: { from: 1, config: (old: Record<string, unknown>) => ({ greeting: `Hi ${old.name}` }) } }),
  ]);

  it('adds new nodes at the latest version and upgrades an old one by its migration, undoably', () => {
    const store = createEditorStore(
      { name: 'v', nodes: [{ id: 'old', type: 'test.greet', version: 1, config: { name: 'Ada' } }], edges: [] },
      { registry },
    );
    const added = store.getState().addNode('test.greet', { x: 0, y: 0 });
    expect(store.getState().nodes.find((n) => n.id === added)?.data.version).toBe(2);
    store.getState().upgrade('old');
    expect(
      store
        .getState()
        .document()
        .nodes.find((n) => n.id === 'old'),
    ).toMatchObject({
      version: 2,
      config: { greeting: 'Hi Ada' },
    });
    store.getState().undo();
    expect(
      store
        .getState()
        .document()
        .nodes.find((n) => n.id === 'old'),
    ).toMatchObject({
      version: 1,
      config: { name: 'Ada' },
    });
  });
});
