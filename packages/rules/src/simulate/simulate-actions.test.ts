import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';
import { builtinNodeTypes } from '../nodes/builtin.ts';
import { createRegistry } from '../registry.ts';
import { simulateRun } from './simulate-run.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const event = { name: 'order_completed', userId: 'u1', properties: { total: 640, items: [{ sku: 'a' }] } };

function actionPlan(node: { type: string; config: Record<string, unknown> }) {
  return compileWorkflow({
    name: 'actions',
    nodes: [
      { id: 't', type: 'trigger.event', config: { event: 'order_completed' } },
      { id: 'a', ...node },
      { id: 'after', type: 'action.log', config: { message: 'after' } },
    ],
    edges: [
      { source: 't', target: 'a' },
      { source: 'a', target: 'after' },
    ],
  });
}

describe('simulateRun: actions', () => {
  it('renders a webhook as the engine would, sends nothing, and redacts its secret headers', async () => {
    const plan = actionPlan({
      type: 'action.webhook',
      config: {
        url: 'https://hooks.example.com/orders',
        headers: { authorization: 'Bearer s3cret' },
        body: {
          total: '{{ event.properties.total }}',
          text: 'Order by {{ user.email }}: {{ event.properties.items }}',
        },
      },
    });
    const result = await simulateRun(plan, { event, now, user: { email: 'ada@example.com' } });
    expect(result.actions.slice(0, 1)).toEqual([
      {
        nodeId: 'a',
        type: 'action.webhook',
        at: now.toISOString(),
        payload: {
          url: 'https://hooks.example.com/orders',
          method: 'POST',
          headers: { authorization: '[redacted]' },
          body: { total: 640, text: 'Order by ada@example.com: [{"sku":"a"}]' },
        },
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });

  it('shows the user as empty when the workflow reads no traits, as the engine loads none', async () => {
    const plan = actionPlan({ type: 'action.log', config: { message: 'hi {{ event.userId }}' } });
    const result = await simulateRun(plan, { event, now, user: { email: 'x' } });
    expect(result.actions[0]?.payload).toEqual({ message: 'hi u1' });
  });
});

describe('simulateRun: an action with onlyIf', () => {
  const notify = defineNodeType({
    type: 'action.notify',
    version: 1,
    kind: 'action',
    label: 'Notify',
    description: 'A test action with an onlyIf rule.',
    icon: 'bell',
    outputs: ['next'],
    config: {
      text: f.template({ label: 'Text' }),
      onlyIf: f.jsonLogic({ label: 'Only if', optional: true }),
    },
  });
  const registry = createRegistry([...builtinNodeTypes, notify]);
  const plan = compileWorkflow(
    {
      name: 'only if',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'order_completed' } },
        {
          id: 'n',
          type: 'action.notify',
          config: {
            text: 'big order {{ event.properties.total }}',
            onlyIf: { '>': [{ var: 'event.properties.total' }, 1000] },
          },
        },
        { id: 'after', type: 'action.log', config: { message: 'after' } },
      ],
      edges: [
        { source: 't', target: 'n' },
        { source: 'n', target: 'after' },
      ],
    },
    { registry },
  );

  it('skips the action when the rule is false, says so with the values read, and walks on', async () => {
    const result = await simulateRun(plan, { event, now }, { registry });
    expect(result.steps.find((s) => s.nodeId === 'n')).toMatchObject({
      output: 'next',
      detail: { skipped: 'onlyIf', onlyIf: false, read: { 'event.properties.total': 640 } },
    });
    expect(result.actions.map((a) => a.nodeId)).toEqual(['after']);
  });

  it('sends it when the rule holds, without the rule in the payload', async () => {
    const big = { ...event, properties: { total: 1500 } };
    const result = await simulateRun(plan, { event: big, now }, { registry });
    expect(result.actions[0]).toMatchObject({ nodeId: 'n', payload: { text: 'big order 1500' } });
    expect(result.actions[0]?.payload).not.toHaveProperty('onlyIf');
  });
});
