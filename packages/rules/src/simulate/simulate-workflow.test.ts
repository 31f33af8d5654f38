import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';
import { builtinNodeTypes } from '../nodes/builtin.ts';
import { createRegistry } from '../registry.ts';
import { simulateWorkflow } from './simulate-workflow.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/abandoned-cart.workflow.json', import.meta.url), 'utf8'),
) as { nodes: { config: Record<string, unknown> }[] };

describe('simulateWorkflow', () => {
  it('returns the validation errors of an invalid draft', async () => {
    const result = await simulateWorkflow({ name: 'x', nodes: [], edges: [] }, { event: { name: 'a', userId: 'u' } });
    expect(result).toEqual({ errors: [expect.objectContaining({ code: 'workflow.trigger_count' })] });
  });

  it('simulates a valid document end to end', async () => {
    const result = await simulateWorkflow(fixture, {
      event: { name: 'cart_viewed', userId: 'u1', properties: { total: 80, cartId: 'c9' } },
      user: { plan: 'pro', country: 'DE' },
      now,
    });
    expect('errors' in result).toBe(false);
    if ('errors' in result) return;
    expect(result.steps.map((s) => [s.nodeId, s.output])).toEqual([
      ['viewed', 'next'],
      ['ordered', undefined],
      ['ordered', 'timeout'],
      ['eligible', 'false'],
      ['later', undefined],
      ['later', 'next'],
      ['remind', 'next'],
    ]);
    expect(result.steps.at(-1)?.detail).toMatchObject({
      rendered: { body: { name: 'cart_viewed', userId: 'u1', properties: { total: 80, cartId: 'c9' } } },
    });
    expect(result.actions).toMatchObject([
      {
        nodeId: 'remind',
        payload: {
          url: 'https://api.example.com/remind',
          method: 'PUT',
          body: { name: 'cart_viewed', userId: 'u1', properties: { total: 80, cartId: 'c9' } },
        },
      },
    ]);
  });

  it('runs custom node types the way the engine does: generic actions and one-rule conditions', async () => {
    const slack = defineNodeType({
      type: 'action.teams',
      version: 1,
      kind: 'action',
      label: 'Slack',
      description: 'Posts to Slack.',
      icon: 'message-square',
      outputs: ['next'],
      config: { channel: f.string({ label: 'Channel' }), text: f.template({ label: 'Text' }) },
    });
    const big = defineNodeType({
      type: 'condition.big',
      version: 1,
      kind: 'condition',
      label: 'Big',
      description: 'A condition with one rule.',
      icon: 'scale',
      outputs: ['true', 'false'],
      config: { rule: f.jsonLogic({ label: 'Rule' }) },
    });
    const registry = createRegistry([...builtinNodeTypes, slack, big]);
    const doc = {
      name: 'custom',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'paid' } },
        { id: 'big', type: 'condition.big', config: { rule: { '>': [{ var: 'event.properties.total' }, 100] } } },
        { id: 's', type: 'action.teams', config: { channel: '#sales', text: 'Paid {{ event.properties.total }}' } },
      ],
      edges: [
        { source: 't', target: 'big' },
        { source: 'big', sourceHandle: 'true', target: 's' },
      ],
    };
    const result = await simulateWorkflow(
      doc,
      { event: { name: 'paid', userId: 'u', properties: { total: 150 } }, now },
      { registry },
    );
    expect(result).toMatchObject({
      started: true,
      steps: [
        { nodeId: 't' },
        { nodeId: 'big', output: 'true', detail: { result: true, read: { 'event.properties.total': 150 } } },
        { nodeId: 's', output: 'next', detail: { rendered: { text: 'Paid 150' } } },
      ],
      actions: [{ nodeId: 's', type: 'action.teams', payload: { channel: '#sales', text: 'Paid 150' } }],
    });
  });
});
