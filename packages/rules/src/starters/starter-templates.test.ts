import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { simulateRun } from '../simulate/simulate-run.ts';
import type { SimInput, SimResult } from '../simulate/types.ts';
import { validateWorkflow } from '../workflow/validate.ts';
import { ROW } from './starter-template.ts';
import { starterTemplates } from './starter-templates.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const byId = (id: string) => starterTemplates.find((t) => t.id === id)!;
const simulate = (id: string, input: Omit<SimInput, 'now'>) =>
  simulateRun(compileWorkflow(byId(id).document), { ...input, now });
// The outputs taken; a wait also has an entry where it parked (no output), left out here.
const walked = (result: SimResult) => result.steps.filter((s) => s.output).map((s) => [s.nodeId, s.output]);

describe('starterTemplates', () => {
  it('offers the four starters, with unique ids', async () => {
    expect(starterTemplates.map((t) => t.id)).toEqual([
      'cart-abandonment',
      'failed-payments',
      'welcome-series',
      'high-value-orders',
    ]);
  });

  it.each(starterTemplates.map((t) => [t.id, t] as const))('%s is valid and compiles', (_, template) => {
    expect(validateWorkflow(template.document)).toEqual([]);
    expect(compileWorkflow(template.document).name).toBe(template.document.name);
  });

  it.each(starterTemplates.map((t) => [t.id, t] as const))('%s is laid out top to bottom', (_, { document }) => {
    const position = new Map(document.nodes.map((n) => [n.id, n.position]));
    for (const node of document.nodes) expect(node.position).toBeDefined();
    for (const edge of document.edges) expect(position.get(edge.target)!.y - position.get(edge.source)!.y).toBe(ROW);
  });

  it('is frozen, so a careless editor cannot change the next "new from template"', async () => {
    const doc = byId('welcome-series').document;
    expect(Object.isFrozen(starterTemplates)).toBe(true);
    expect(Object.isFrozen(doc.nodes[1]!.config)).toBe(true);
    expect(() => doc.nodes.push(doc.nodes[0]!)).toThrow(TypeError);
  });
});

describe('starters behave as described', () => {
  const cart = { name: 'cart_updated', userId: 'u1', properties: { cartId: 'c1', total: 42 } };

  it('cart abandonment: sends the cart after an hour without an order for it', async () => {
    const lost = await simulate('cart-abandonment', {
      event: cart,
      awaited: { 'wait-for-order': { properties: { cartId: 'c2' } } },
    });
    expect(walked(lost)).toEqual([
      ['cart-updated', 'next'],
      ['wait-for-order', 'timeout'],
      ['send-cart', 'next'],
    ]);
    expect(lost.steps.at(-1)?.detail.rendered).toEqual({
      body: { userId: 'u1', cartId: 'c1', cart: { cartId: 'c1', total: 42 }, updatedAt: now.toISOString() },
    });
    const ordered = await simulate('cart-abandonment', {
      event: cart,
      awaited: { 'wait-for-order': { properties: { cartId: 'c1' } } },
    });
    expect(walked(ordered).at(-1)).toEqual(['log-order', 'next']);
  });

  it('failed payments: alerts on the third failure, once an hour', async () => {
    const event = { name: 'payment_failed', userId: 'u1', properties: { reason: 'card_declined', amount: 30 } };
    expect(walked(await simulate('failed-payments', { event, counts: { 'three-in-ten': 1 } })).at(-1)).toEqual([
      'three-in-ten',
      'false',
    ]);
    const third = await simulate('failed-payments', { event, counts: { 'three-in-ten': 2 } });
    expect(walked(third).at(-1)).toEqual(['alert', 'next']);
    expect(third.steps.at(-1)?.detail.rendered).toEqual({
      body: { text: 'u1 failed to pay 3 times in 10 minutes', userId: 'u1', reason: 'card_declined', amount: 30 },
    });
    const again = await simulate('failed-payments', {
      event,
      counts: { 'three-in-ten': 3 },
      frequency: { 'once-an-hour': 1 },
    });
    expect(walked(again).at(-1)).toEqual(['once-an-hour', 'limited']);
  });

  it('welcome series: nudges and sends tips only to users who have not activated', async () => {
    const event = { name: 'signed_up', userId: 'u1', properties: {} };
    const idle = await simulate('welcome-series', { event, user: { email: 'ada@example.com' } });
    expect(walked(idle).map(([id]) => id)).toEqual([
      'signed-up',
      'welcome',
      'one-day',
      'not-activated',
      'nudge',
      'three-days',
      'tips',
    ]);
    expect(idle.steps.at(-1)?.at).toBe('2025-03-05T12:00:00.000Z');
    const active = await simulate('welcome-series', { event, user: { activated: true } });
    expect(walked(active).at(-1)).toEqual(['not-activated', 'false']);
  });

  it('high-value orders: publishes orders of 500 or more', async () => {
    const order = (total: number) => ({
      name: 'order_completed',
      userId: 'u1',
      properties: { total, currency: 'EUR', orderId: 'o7' },
    });
    expect((await simulate('high-value-orders', { event: order(499.99) })).started).toBe(false);
    expect((await simulate('high-value-orders', { event: order(500) })).actions).toEqual([
      {
        nodeId: 'publish',
        type: 'action.kafka',
        at: now.toISOString(),
        payload: {
          topic: 'high-value-orders',
          key: 'u1',
          value: { userId: 'u1', orderId: 'o7', total: 500, currency: 'EUR' },
        },
      },
    ]);
  });
});
