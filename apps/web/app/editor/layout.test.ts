import { starterTemplates } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import { fromDocument } from './document';
import { edgeCrossings } from './geometry';
import { layoutTopDown } from './layout';

describe('tidy-up layout', () => {
  it.each(starterTemplates.map((t) => [t.name, t] as const))(
    '“%s” opens and tidies up with no crossing edges',
    (_n, t) => {
      const { nodes, edges } = fromDocument(t.document);
      expect(edgeCrossings(nodes, edges)).toEqual([]);
      expect(edgeCrossings(layoutTopDown(nodes, edges), edges)).toEqual([]);
    },
  );

  it('puts a condition’s true branch left of its false branch', () => {
    const { nodes, edges } = fromDocument({
      name: 'x',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'e' } },
        { id: 'c', type: 'condition.if', config: {} },
        { id: 'no', type: 'action.log', config: {} },
        { id: 'yes', type: 'action.log', config: {} },
      ],
      edges: [
        { source: 't', target: 'c' },
        { source: 'c', sourceHandle: 'false', target: 'no' },
        { source: 'c', sourceHandle: 'true', target: 'yes' },
      ],
    });
    const laid = layoutTopDown(nodes, edges);
    const x = (id: string) => laid.find((n) => n.id === id)?.position.x ?? 0;
    expect(x('yes')).toBeLessThan(x('no'));
  });
});
