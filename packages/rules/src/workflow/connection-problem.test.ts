import { describe, expect, it } from 'vitest';
import { connectionProblem } from './connection-problem.ts';
import type { WorkflowDocumentInput } from './document.ts';
import { validateWorkflow } from './validate.ts';

const doc: WorkflowDocumentInput = {
  name: 'canvas',
  nodes: [
    { id: 't', type: 'trigger.event', config: { event: 'paid' } },
    { id: 'if', type: 'condition.if', config: { logic: true } },
    { id: 'a', type: 'action.log', config: {} },
    { id: 'b', type: 'action.log', config: {} },
    { id: 'odd', type: 'action.fax', config: {} },
  ],
  edges: [
    { source: 't', target: 'if' },
    { source: 'if', sourceHandle: 'true', target: 'a' },
    { source: 'a', target: 'b' },
  ],
};

describe('connectionProblem', () => {
  it.each([
    [{ source: 'if', sourceHandle: 'false', target: 'b' }],
    [{ source: 'b', target: 'odd' }],
    [{ source: 'b', sourceHandle: null, target: 'odd' }],
    [{ source: 'odd', sourceHandle: 'whatever', target: 'b' }],
  ])('accepts %j', (edge) => {
    expect(connectionProblem(doc, edge)).toBeNull();
  });

  it.each([
    [{ source: 'ghost', target: 'a' }, 'There is no node ghost to connect from'],
    [{ source: 'a', target: 'ghost' }, 'There is no node ghost to connect to'],
    [{ source: 'a', target: 'a' }, 'A node cannot connect to itself'],
    [{ source: 'a', target: 't' }, 'A trigger starts the workflow; nothing can lead into it'],
    [{ source: 'if', sourceHandle: 'maybe', target: 'b' }, 'If has no output "maybe" (its outputs: true, false)'],
    [{ source: 'if', target: 'b' }, 'If has several outputs (true, false); connect from one of them'],
    [
      { source: 'if', sourceHandle: null, target: 'b' },
      'If has several outputs (true, false); connect from one of them',
    ],
    [{ source: 'if', sourceHandle: 'true', target: 'a' }, 'These two nodes are already connected from this output'],
    [{ source: 'a', sourceHandle: 'next', target: 'b' }, 'These two nodes are already connected from this output'],
    [{ source: 'b', target: 'if' }, 'This connection would create a loop; a workflow must always move forward'],
  ])('refuses %j', (edge, problem) => {
    expect(connectionProblem(doc, edge)).toBe(problem);
  });

  it('uses the version of the source node', () => {
    const v2 = { ...doc, nodes: [...doc.nodes, { id: 'new', type: 'action.log', version: 2, config: {} }] };
    // No action.log@2: its outputs are unknown, so only graph rules apply.
    expect(connectionProblem(v2, { source: 'new', sourceHandle: 'x', target: 'b' })).toBeNull();
    expect(connectionProblem(v2, { source: 'new', target: 't' })).not.toBeNull();
  });

  it('refuses exactly the edges validateWorkflow would reject', () => {
    const ids = ['t', 'if', 'a', 'b', 'odd', 'ghost'];
    const at = doc.edges.length;
    for (const source of ids) {
      for (const target of ids) {
        for (const sourceHandle of [undefined, 'true', 'next', 'x']) {
          // The validator skips edge checks after an unknown source type (that node already has
          // an error), so it lets odd -> t through; the canvas should still refuse it.
          if (source === 'odd' && target === 't') continue;
          const edge = { source, target, ...(sourceHandle ? { sourceHandle } : {}) };
          const errors = validateWorkflow({ ...doc, edges: [...doc.edges, edge] }).filter(
            (e) => (e.path[0] === 'edges' && e.path[1] === at) || e.code === 'graph.cycle',
          );
          expect([edge, connectionProblem(doc, edge) !== null]).toEqual([edge, errors.length > 0]);
        }
      }
    }
  });
});
