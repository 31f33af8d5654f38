import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { simulateRun } from './simulate-run.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const event = { name: 'order_completed', userId: 'u1', properties: { total: 640, items: [{ sku: 'a' }] } };

function actionStep(node: { type: string; config: Record<string, unknown> }, user?: Record<string, unknown>) {
  const plan = compileWorkflow({
    name: 'actions',
    nodes: [
      { id: 't', type: 'trigger.event', config: { event: 'order_completed' } },
      { id: 'a', ...node },
    ],
    edges: [{ source: 't', target: 'a' }],
  });
  return simulateRun(plan, { event, now, ...(user ? { user } : {}) }).steps[1];
}

describe('simulateRun: actions', () => {
  it('renders a webhook body as the engine would and sends nothing', () => {
    const step = actionStep(
      {
        type: 'action.webhook',
        config: {
          url: 'https://hooks.example.com/orders',
          headers: { 'x-team': 'sales' },
          body: {
            total: '{{ event.properties.total }}',
            text: 'Order by {{ user.email }}: {{ event.properties.items }}',
          },
        },
      },
      { email: 'ada@example.com' },
    );
    expect(step).toEqual({
      nodeId: 'a',
      type: 'action.webhook',
      at: now.toISOString(),
      output: 'next',
      detail: {
        rendered: { body: { total: 640, text: 'Order by ada@example.com: [{"sku":"a"}]' } },
        sent: false,
        config: { url: 'https://hooks.example.com/orders', method: 'POST', headers: { 'x-team': 'sales' } },
      },
    });
  });

  it('renders Kafka key and value and keeps the topic in config', () => {
    const step = actionStep({
      type: 'action.kafka',
      config: { topic: 'orders', key: '{{ event.userId }}', value: { missing: '{{ event.properties.nope }}' } },
    });
    expect(step?.detail).toEqual({
      rendered: { key: 'u1', value: { missing: '' } },
      sent: false,
      config: { topic: 'orders' },
    });
  });

  it('shows the user as empty when the workflow reads no traits, as the engine loads none', () => {
    const step = actionStep({ type: 'action.log', config: { message: 'hi' } }, { email: 'x' });
    expect(step?.detail).toEqual({ rendered: { message: 'hi' }, sent: false, config: {} });
  });
});
