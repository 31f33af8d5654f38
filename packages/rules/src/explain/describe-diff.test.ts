import { describe, expect, it } from 'vitest';
import type { WorkflowDocumentInput } from '../workflow/document.ts';
import { describeChanges } from './describe-diff.ts';

const v1: WorkflowDocumentInput = {
  name: 'Big orders',
  nodes: [
    { id: 't', type: 'trigger.event', config: { event: 'checkout' } },
    { id: 'if-2', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.total' }, 100] } } },
    { id: 'w', type: 'wait.delay', config: { duration: 'PT1H' } },
  ],
  edges: [
    { source: 't', target: 'if-2' },
    { source: 'if-2', sourceHandle: 'true', target: 'w' },
  ],
};

describe('describeChanges', () => {
  it('names each changed field with its value before and after, in words', () => {
    const v2 = structuredClone(v1);
    (v2.nodes[1] as { config: Record<string, unknown> }).config.logic = {
      '>': [{ var: 'event.properties.total' }, 200],
    };
    (v2.nodes[2] as { config: Record<string, unknown> }).config.duration = 'PT2H';
    (v2.nodes[2] as { label?: string }).label = 'Cool off';
    v2.nodes.push({ id: 'log-4', type: 'action.log', config: {} });
    v2.edges.push({ source: 'w', target: 'log-4' });
    expect(describeChanges(v1, v2)).toEqual([
      { nodeId: 'log-4', kind: 'added', text: 'Added Log (log a line)' },
      { nodeId: 'if-2', kind: 'changed', text: 'If: Condition', before: 'total > 100', after: 'total > 200' },
      { nodeId: 'w', kind: 'renamed', text: 'Name', before: 'Wait', after: 'Cool off' },
      { nodeId: 'w', kind: 'changed', text: 'Cool off: Wait for', before: '1 hour', after: '2 hours' },
      { kind: 'connected', text: 'Connected Cool off → Log' },
    ]);
  });

  it('says nothing for a node that only moved', () => {
    const v2 = structuredClone(v1);
    (v2.nodes[0] as { position?: { x: number; y: number } }).position = { x: 400, y: 9 };
    expect(describeChanges(v1, v2)).toEqual([]);
  });
});
