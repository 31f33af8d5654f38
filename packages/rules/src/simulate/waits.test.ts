import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { simulateRun } from './simulate-run.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const log = (id: string, message = id) => ({ id, type: 'action.log', config: { message } });
const event = { name: 'cart_updated', userId: 'u1', properties: { cartId: 'c1' } };

describe('simulateRun: wait.delay', () => {
  const plan = compileWorkflow({
    name: 'delay',
    nodes: [
      { id: 't', type: 'trigger.event', config: { event: 'cart_updated' } },
      { id: 'd', type: 'wait.delay', config: { duration: 'PT2H' } },
      log('l', '{{ event.name }} at {{ event.timestamp }}'),
    ],
    edges: [
      { source: 't', target: 'd' },
      { source: 'd', target: 'l' },
    ],
  });

  it('says how long it would wait and walks on at that time', () => {
    const result = simulateRun(plan, { event, now });
    expect(result.steps[1]).toEqual({
      nodeId: 'd',
      type: 'wait.delay',
      at: now.toISOString(),
      output: 'next',
      detail: { wouldWaitMs: 2 * HOUR, until: at(2 * HOUR), simulatedWait: true },
    });
    expect(result.steps[2]).toMatchObject({ nodeId: 'l', at: at(2 * HOUR) });
  });
});

describe('simulateRun: wait.event', () => {
  const plan = compileWorkflow({
    name: 'cart',
    nodes: [
      { id: 't', type: 'trigger.event', config: { event: 'cart_updated' } },
      {
        id: 'w',
        type: 'wait.event',
        config: {
          event: 'order_completed',
          match: { '==': [{ var: 'event.properties.cartId' }, { var: 'trigger.properties.cartId' }] },
          timeout: 'PT1H',
        },
      },
      log('got', '{{ event.name }} for {{ trigger.properties.cartId }}'),
      log('lost', '{{ event.name }}'),
    ],
    edges: [
      { source: 't', target: 'w' },
      { source: 'w', sourceHandle: 'received', target: 'got' },
      { source: 'w', sourceHandle: 'timeout', target: 'lost' },
    ],
  });
  const base = { waitsFor: 'order_completed', timeoutMs: HOUR, until: at(HOUR), simulatedWait: true };
  const run = (awaited?: Record<string, unknown> | null) =>
    simulateRun(plan, { event, now, ...(awaited !== undefined ? { awaited: { w: awaited } } : {}) });

  it('times out when no event is given, with the trigger as `event` afterwards', () => {
    for (const result of [run(), run(null)]) {
      expect(result.steps[1]).toMatchObject({ nodeId: 'w', output: 'timeout', detail: base });
      expect(result.steps[2]).toMatchObject({
        nodeId: 'lost',
        at: at(HOUR),
        detail: { rendered: { message: 'cart_updated' } },
      });
    }
  });

  it('receives a matching event, which becomes `event`', () => {
    const result = run({ properties: { cartId: 'c1' } });
    expect(result.steps[1]).toMatchObject({ output: 'received', detail: { ...base, match: true } });
    expect(result.steps[2]).toMatchObject({
      nodeId: 'got',
      at: now.toISOString(),
      detail: { rendered: { message: 'order_completed for c1' } },
    });
  });

  it('times out when the match rule rejects the event', () => {
    expect(run({ name: 'order_completed', properties: { cartId: 'other' } }).steps[1]).toMatchObject({
      output: 'timeout',
      detail: { ...base, match: false },
    });
  });

  it('ignores an event of another name or user, or one arriving after the timeout', () => {
    const ignored = (awaited: Record<string, unknown>) => run(awaited).steps[1]?.detail.ignored;
    expect(ignored({ name: 'order_cancelled', properties: { cartId: 'c1' } })).toMatch(/not order_completed/);
    expect(ignored({ userId: 'u2', properties: { cartId: 'c1' } })).toMatch(/another user/);
    expect(ignored({ properties: { cartId: 'c1' }, timestamp: at(2 * HOUR) })).toMatch(/after the timeout/);
  });

  it('walks on when the awaited event arrives', () => {
    const result = run({ properties: { cartId: 'c1' }, timestamp: at(HOUR / 2) });
    expect(result.steps[2]).toMatchObject({ nodeId: 'got', at: at(HOUR / 2) });
  });
});

describe('simulateRun: parked branches', () => {
  it('resumes in time order after the first walk, like the engine', () => {
    const plan = compileWorkflow({
      name: 'branches',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'cart_updated' } },
        { id: 'fork', type: 'condition.if', config: { logic: true } },
        { id: 'long', type: 'wait.delay', config: { duration: 'P1D' } },
        { id: 'short', type: 'wait.delay', config: { duration: 'PT1M' } },
        log('now'),
        log('after-long'),
        log('after-short'),
      ],
      edges: [
        { source: 't', target: 'fork' },
        { source: 'fork', sourceHandle: 'true', target: 'long' },
        { source: 'fork', sourceHandle: 'true', target: 'short' },
        { source: 'fork', sourceHandle: 'true', target: 'now' },
        { source: 'long', target: 'after-long' },
        { source: 'short', target: 'after-short' },
      ],
    });
    expect(simulateRun(plan, { event, now }).steps.map((s) => s.nodeId)).toEqual([
      't',
      'fork',
      'long',
      'short',
      'now',
      'after-short',
      'after-long',
    ]);
  });
});
