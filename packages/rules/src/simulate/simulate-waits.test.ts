import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { simulateRun } from './simulate-run.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const log = (id: string, message = id) => ({ id, type: 'action.log', config: { message } });
const event = { name: 'cart_updated', userId: 'u1', properties: { cartId: 'c1' } };
const trigger = { id: 't', type: 'trigger.event', config: { event: 'cart_updated' } };

describe('simulateRun: wait.delay', () => {
  const plan = compileWorkflow({
    name: 'delay',
    nodes: [trigger, { id: 'd', type: 'wait.delay', config: { duration: 'PT2H' } }, log('l', '{{ event.name }}')],
    edges: [
      { source: 't', target: 'd' },
      { source: 'd', target: 'l' },
    ],
  });

  it('parks the run, then walks on at the resume time with the trigger as the event', async () => {
    const result = await simulateRun(plan, { event, now });
    expect(result.steps).toEqual([
      expect.objectContaining({ nodeId: 't', output: 'next' }),
      { nodeId: 'd', type: 'wait.delay', at: now.toISOString(), detail: { until: at(2 * HOUR) } },
      { nodeId: 'd', type: 'wait.delay', at: at(2 * HOUR), output: 'next', detail: { resumedBy: 'delay' } },
      expect.objectContaining({
        nodeId: 'l',
        at: at(2 * HOUR),
        detail: expect.objectContaining({ rendered: { message: 'cart_updated' } }),
      }),
    ]);
  });
});

describe('simulateRun: wait.event', () => {
  const plan = compileWorkflow({
    name: 'wait for order',
    nodes: [
      trigger,
      {
        id: 'w',
        type: 'wait.event',
        config: {
          event: 'order_completed',
          timeout: 'PT1H',
          match: { '==': [{ var: 'event.properties.cartId' }, { var: 'trigger.properties.cartId' }] },
        },
      },
      log('got', 'ordered {{ event.properties.cartId }}'),
      log('lost'),
    ],
    edges: [
      { source: 't', target: 'w' },
      { source: 'w', sourceHandle: 'received', target: 'got' },
      { source: 'w', sourceHandle: 'timeout', target: 'lost' },
    ],
  });
  const outputs = async (input: Parameters<typeof simulateRun>[1]) =>
    (await simulateRun(plan, input)).steps.filter((s) => s.output).map((s) => [s.nodeId, s.output, s.at]);

  it('times out when no event is given', async () => {
    expect(await outputs({ event, now })).toEqual([
      ['t', 'next', now.toISOString()],
      ['w', 'timeout', at(HOUR)],
      ['lost', 'next', at(HOUR)],
    ]);
  });

  it('receives a matching event at its timestamp, which then is `event`', async () => {
    const result = await simulateRun(plan, {
      event,
      now,
      awaited: { w: { properties: { cartId: 'c1' }, timestamp: at(10 * 60_000) } },
    });
    expect(result.steps.filter((s) => s.output).map((s) => [s.nodeId, s.output, s.at])).toEqual([
      ['t', 'next', now.toISOString()],
      ['w', 'received', at(10 * 60_000)],
      ['got', 'next', at(10 * 60_000)],
    ]);
    expect(result.steps.at(-1)?.detail.rendered).toEqual({ message: 'ordered c1' });
  });

  it('times out when the given event does not match, or cannot reach the wait, and says why', async () => {
    expect(await outputs({ event, now, awaited: { w: { properties: { cartId: 'c2' } } } })).toContainEqual([
      'w',
      'timeout',
      at(HOUR),
    ]);
    const cases = [
      [{ name: 'order_refunded' }, 'w: the event given is order_refunded, not order_completed'],
      [{ userId: 'u2' }, 'w: the event given is for another user'],
      [{ timestamp: at(2 * HOUR) }, 'w: the event given arrives after the wait gives up'],
    ] as const;
    for (const [given, note] of cases) {
      const result = await simulateRun(plan, {
        event,
        now,
        awaited: { w: { properties: { cartId: 'c1' }, ...given } },
      });
      expect(result.notes).toEqual([note]);
      expect(result.steps.filter((s) => s.output).at(-1)?.nodeId).toBe('lost');
    }
  });

  it('lets two branches reaching the same wait join one wait', async () => {
    const joined = compileWorkflow({
      name: 'join',
      nodes: [
        trigger,
        { id: 'fork', type: 'condition.if', config: { logic: true } },
        log('a'),
        log('b'),
        { id: 'w', type: 'wait.event', config: { event: 'order_completed', timeout: 'PT1H' } },
        log('lost'),
      ],
      edges: [
        { source: 't', target: 'fork' },
        { source: 'fork', sourceHandle: 'true', target: 'a' },
        { source: 'fork', sourceHandle: 'true', target: 'b' },
        { source: 'a', target: 'w' },
        { source: 'b', target: 'w' },
        { source: 'w', sourceHandle: 'timeout', target: 'lost' },
      ],
    });
    const result = await simulateRun(joined, { event, now });
    expect(result.steps.filter((s) => s.nodeId === 'w').map((s) => [s.output, s.detail.joined])).toEqual([
      [undefined, undefined],
      [undefined, true],
      ['timeout', undefined],
    ]);
    expect(result.steps.filter((s) => s.nodeId === 'lost')).toHaveLength(1);
  });
});

describe('simulateRun: counting after a wait', () => {
  it('counts up to the resume after a delay, so the events of the wait count', async () => {
    const plan = compileWorkflow({
      name: 'two logins after signup',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'signed_up' } },
        { id: 'd', type: 'wait.delay', config: { duration: 'P1D' } },
        { id: 'c', type: 'condition.count', config: { event: 'logged_in', atLeast: 2, within: 'P1D' } },
      ],
      edges: [
        { source: 't', target: 'd' },
        { source: 'd', target: 'c' },
      ],
    });
    const result = await simulateRun(plan, { event: { name: 'signed_up', userId: 'u1' }, now, counts: { c: 2 } });
    expect(result.steps.at(-1)?.detail).toMatchObject({ count: 2, window: { to: at(24 * HOUR) } });
  });
});
