import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { simulateRun } from './simulate-run.ts';
import type { SimResult } from './types.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const trigger = (config: Record<string, unknown> = {}) => ({
  id: 't',
  type: 'trigger.event',
  config: { event: 'paid', ...config },
});
const log = (id: string, message = id) => ({ id, type: 'action.log', config: { message } });
const compile = (nodes: unknown[], edges: unknown[]) => compileWorkflow({ name: 'sim', nodes, edges });
const event = { name: 'paid', userId: 'u1', properties: { total: 120 } };
const path = (result: SimResult) => result.steps.map((s) => [s.nodeId, s.output ?? null]);

describe('simulateRun: starting', () => {
  const plan = compile(
    [trigger({ filter: { '>=': [{ var: 'event.properties.total' }, 100] } }), log('l')],
    [{ source: 't', target: 'l' }],
  );

  it('does not start on another event name, and says why', async () => {
    const result = await simulateRun(plan, { event: { ...event, name: 'refunded' }, now });
    expect(result).toEqual({
      started: false,
      reason: 'Event "refunded" does not start this workflow; it starts on "paid"',
      steps: [],
      actions: [],
      notes: [],
    });
  });

  it('records a false filter as the only step', async () => {
    const result = await simulateRun(plan, { event: { ...event, properties: { total: 5 } }, now });
    expect(result.started).toBe(false);
    expect(result.reason).toMatch(/filter is false/);
    expect(result.steps).toEqual([
      {
        nodeId: 't',
        type: 'trigger.event',
        at: now.toISOString(),
        detail: { messageId: 'simulated', filter: false, read: { 'event.properties.total': 5 } },
      },
    ]);
  });

  it('starts and walks on when the filter holds', async () => {
    const result = await simulateRun(plan, { event: { ...event, messageId: 'm1' }, now });
    expect(result.started).toBe(true);
    expect(result.steps[0]).toEqual({
      nodeId: 't',
      type: 'trigger.event',
      at: now.toISOString(),
      output: 'next',
      detail: { messageId: 'm1', filter: true, read: { 'event.properties.total': 120 } },
    });
    expect(path(result)).toEqual([
      ['t', 'next'],
      ['l', 'next'],
    ]);
  });

  it('leaves out the filter result when there is no filter', async () => {
    const bare = compile([trigger(), log('l')], [{ source: 't', target: 'l' }]);
    expect((await simulateRun(bare, { event, now })).steps[0]?.detail).toEqual({ messageId: 'simulated' });
  });

  it('gives the event a timestamp of `now` when it has none', async () => {
    const echo = compile([trigger(), log('l', '{{ event.timestamp }}')], [{ source: 't', target: 'l' }]);
    const step = (await simulateRun(echo, { event, now })).steps[1];
    expect(step?.detail.rendered).toEqual({ message: now.toISOString() });
  });
});

describe('simulateRun: conditions', () => {
  const plan = compile(
    [
      trigger(),
      { id: 'vip', type: 'condition.if', config: { logic: { '==': [{ var: 'user.plan' }, 'pro'] } } },
      log('yes'),
      log('no'),
    ],
    [
      { source: 't', target: 'vip' },
      { source: 'vip', sourceHandle: 'true', target: 'yes' },
      { source: 'vip', sourceHandle: 'false', target: 'no' },
    ],
  );

  it('follows condition.if by the rule over the user', async () => {
    const pro = await simulateRun(plan, { event, user: { plan: 'pro' }, now });
    expect(pro.steps[1]).toMatchObject({ nodeId: 'vip', output: 'true', detail: { result: true } });
    expect(path(pro).at(-1)).toEqual(['yes', 'next']);
    expect(path(await simulateRun(plan, { event, now })).at(-1)).toEqual(['no', 'next']);
  });

  const counting = (filter?: unknown) =>
    compile(
      [
        trigger(),
        {
          id: 'c',
          type: 'condition.count',
          config: { event: 'paid', atLeast: 3, within: 'PT10M', ...(filter ? { filter } : {}) },
        },
      ],
      [{ source: 't', target: 'c' }],
    );

  it('counts the current event on top of the prior ones, like the engine', async () => {
    const result = await simulateRun(counting(), { event, counts: { c: 2 }, now });
    expect(result.steps[1]).toMatchObject({
      output: 'true',
      detail: {
        count: 3,
        atLeast: 3,
        result: true,
        window: { from: '2025-03-01T11:50:00.000Z', to: now.toISOString() },
      },
    });
    expect((await simulateRun(counting(), { event, counts: { c: 1 }, now })).steps[1]?.output).toBe('false');
    expect((await simulateRun(counting(), { event, now })).steps[1]?.detail.count).toBe(1);
  });

  it("leaves the current event out when the count's filter rejects it", async () => {
    const plan = counting({ '>': [{ var: 'event.properties.total' }, 500] });
    expect((await simulateRun(plan, { event, counts: { c: 2 }, now })).steps[1]).toMatchObject({
      output: 'false',
      detail: { count: 2, result: false },
    });
  });

  it('leaves the current event out when the count is for another event name', async () => {
    const plan = compile(
      [trigger(), { id: 'c', type: 'condition.count', config: { event: 'failed', atLeast: 1 } }],
      [{ source: 't', target: 'c' }],
    );
    expect((await simulateRun(plan, { event, now })).steps[1]?.detail).toMatchObject({ count: 0, result: false });
  });

  it('ignores counts that are not usable numbers and keys from the prototype', async () => {
    const counts = JSON.parse('{"c": -4, "__proto__": 9}');
    expect((await simulateRun(counting(), { event, counts, now })).steps[1]?.detail.count).toBe(1);
  });
});

describe('simulateRun: limit.frequency', () => {
  const cap = { id: 'cap', type: 'limit.frequency', config: { max: 2, per: 'PT1H' } };

  it('passes below the cap and counts this pass', async () => {
    const plan = compile(
      [trigger(), cap, log('l')],
      [
        { source: 't', target: 'cap' },
        { source: 'cap', sourceHandle: 'pass', target: 'l' },
      ],
    );
    expect((await simulateRun(plan, { event, frequency: { cap: 1 }, now })).steps[1]).toMatchObject({
      output: 'pass',
      detail: { passes: 2, max: 2 },
    });
    const limited = await simulateRun(plan, { event, frequency: { cap: 2 }, now });
    expect(limited.steps[1]).toMatchObject({ output: 'limited', detail: { passes: 2, max: 2 } });
    expect(limited.steps).toHaveLength(2);
  });

  it("counts the run's own earlier pass, as the engine's mark would", async () => {
    // Two branches into one cap with max 1: the engine's first pass leaves a mark, the second sees it.
    const plan = compile(
      [
        trigger(),
        { id: 'fork', type: 'condition.if', config: { logic: true } },
        log('a'),
        log('b'),
        {
          ...cap,
          config: { max: 1, per: 'PT1H' },
        },
      ],
      [
        { source: 't', target: 'fork' },
        { source: 'fork', sourceHandle: 'true', target: 'a' },
        { source: 'fork', sourceHandle: 'true', target: 'b' },
        { source: 'a', target: 'cap' },
        { source: 'b', target: 'cap' },
      ],
    );
    const outputs = (await simulateRun(plan, { event, now })).steps
      .filter((s) => s.nodeId === 'cap')
      .map((s) => s.output);
    expect(outputs).toEqual(['pass', 'limited']);
  });
});

describe('simulateRun: walk order and errors', () => {
  const fan = compile(
    [
      trigger(),
      { id: 'fork', type: 'condition.if', config: { logic: true } },
      log('a1'),
      log('b1'),
      log('a2'),
      log('b2'),
    ],
    [
      { source: 't', target: 'fork' },
      { source: 'fork', sourceHandle: 'true', target: 'a1' },
      { source: 'fork', sourceHandle: 'true', target: 'b1' },
      { source: 'a1', target: 'a2' },
      { source: 'b1', target: 'b2' },
    ],
  );

  it('walks breadth-first like the run-walker', async () => {
    expect((await simulateRun(fan, { event, now })).steps.map((s) => s.nodeId)).toEqual([
      't',
      'fork',
      'a1',
      'b1',
      'a2',
      'b2',
    ]);
  });

  it('turns a throwing rule into an error step and ends the walk, as the engine fails the run', async () => {
    const plan = compile(
      [
        trigger(),
        { id: 'fork', type: 'condition.if', config: { logic: true } },
        { id: 'bad', type: 'condition.if', config: { logic: { '*': [] } } },
        log('ok'),
        log('after'),
      ],
      [
        { source: 't', target: 'fork' },
        { source: 'fork', sourceHandle: 'true', target: 'bad' },
        { source: 'fork', sourceHandle: 'true', target: 'ok' },
        { source: 'bad', sourceHandle: 'true', target: 'after' },
      ],
    );
    const result = await simulateRun(plan, { event, now });
    expect(result.started).toBe(true);
    expect(result.error).toMatch(/empty array/);
    expect(result.steps.map((s) => s.nodeId)).toEqual(['t', 'fork', 'bad']);
    expect(result.steps[2]).toEqual({
      nodeId: 'bad',
      type: 'condition.if',
      at: now.toISOString(),
      detail: { error: result.error },
    });
  });

  it('reports a throwing trigger filter as not started', async () => {
    const plan = compile([trigger({ filter: { '*': [] } })], []);
    const result = await simulateRun(plan, { event, now });
    expect(result).toMatchObject({ started: false, reason: expect.stringMatching(/^The trigger filter failed/) });
    expect(result.steps[0]?.detail.error).toBe(result.error);
  });

  it('refuses a plan with a node type or version the engine does not know, as the engine does', async () => {
    const plan = compile([trigger(), log('l')], [{ source: 't', target: 'l' }]);
    const odd = {
      ...plan,
      nodes: { ...plan.nodes, l: { ...plan.nodes.l!, type: 'wait.moon', kind: 'wait' as const } },
    };
    const result = await simulateRun(odd, { event, now });
    expect(result).toMatchObject({ started: false, error: 'l: wait.moon is not a node type this release knows' });
    const later = { ...plan, nodes: { ...plan.nodes, l: { ...plan.nodes.l!, version: 2 } } };
    expect((await simulateRun(later, { event, now })).error).toBe(
      'l: action.log has no version 2 in this release (known: 1)',
    );
  });

  it('has no side effects on its input', async () => {
    const input = { event: structuredClone(event), user: { plan: 'pro' }, counts: {}, frequency: {}, now };
    const before = structuredClone(input);
    const planBefore = structuredClone(fan);
    await simulateRun(fan, input);
    expect(input).toEqual(before);
    expect(fan).toEqual(planBefore);
  });
});
