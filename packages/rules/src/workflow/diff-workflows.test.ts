import { describe, expect, it } from 'vitest';
import { diffWorkflows } from './diff-workflows.ts';
import type { WorkflowDocumentInput } from './document.ts';
import { sameJson } from './same-json.ts';

const before: WorkflowDocumentInput = {
  name: 'v1',
  nodes: [
    { id: 't', type: 'trigger.event', config: { event: 'paid' }, position: { x: 0, y: 0 } },
    { id: 'if', type: 'condition.if', config: { logic: { '>': [{ var: 'a' }, 1] } }, position: { x: 0, y: 140 } },
    { id: 'hook', type: 'action.webhook', config: { url: 'https://hooks.example.com/a', body: { a: 1, b: 2 } } },
    { id: 'gone', type: 'action.log', config: {} },
  ],
  edges: [
    { id: 'e1', source: 't', target: 'if' },
    { source: 'if', sourceHandle: 'true', target: 'hook' },
    { source: 'if', sourceHandle: 'false', target: 'gone' },
  ],
};

describe('diffWorkflows', () => {
  it('finds nothing between a document and itself', () => {
    expect(diffWorkflows(before, structuredClone(before))).toEqual({
      nodes: { added: [], removed: [], changed: [], moved: [] },
      edges: { added: [], removed: [] },
    });
  });

  it('tells added, removed, changed and moved nodes and edges apart', () => {
    const after: WorkflowDocumentInput = {
      name: 'v2',
      nodes: [
        { id: 't', type: 'trigger.event', version: 1, config: { event: 'paid' }, position: { x: 40, y: 0 } },
        { id: 'if', type: 'condition.if', config: { logic: { '>': [{ var: 'a' }, 2] } }, position: { x: 0, y: 140 } },
        // The same config with its keys in another order: unchanged.
        { id: 'hook', type: 'action.webhook', config: { body: { b: 2, a: 1 }, url: 'https://hooks.example.com/a' } },
        { id: 'new', type: 'action.log', config: {} },
      ],
      edges: [
        // Re-saved with an explicit handle and another id: the same connection.
        { id: 'e9', source: 't', sourceHandle: 'next', target: 'if' },
        { source: 'if', sourceHandle: 'true', target: 'hook' },
        { source: 'if', sourceHandle: 'false', target: 'new' },
      ],
    };
    expect(diffWorkflows(before, after)).toEqual({
      nodes: { added: ['new'], removed: ['gone'], changed: ['if'], moved: ['t'] },
      edges: { added: ['if:false->new'], removed: ['if:false->gone'] },
    });
  });

  it('counts a new type or version as a change, and a gained position as a move', () => {
    const after = structuredClone(before);
    after.nodes[2] = { ...after.nodes[2]!, version: 2 };
    after.nodes[3] = { ...after.nodes[3]!, type: 'action.kafka', position: { x: 1, y: 1 } };
    expect(diffWorkflows(before, after).nodes).toMatchObject({ changed: ['hook', 'gone'], moved: ['gone'] });
  });
});

describe('sameJson', () => {
  it.each([
    [{ a: [1, { b: null }] }, { a: [1, { b: null }] }, true],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [[1, 2], [2, 1], false],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [[], {}, false],
    [null, {}, false],
    ['1', 1, false],
  ])('%j vs %j -> %s', (a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
  });
});
