import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { loadPlan } from '../runtime/loaded-plan.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';
import { backtestEventNames, createBacktest } from './backtest.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const HOUR = 3_600_000;
const flow = (threshold: number): WorkflowDocumentInput => ({
  name: 'Nudge',
  nodes: [
    {
      id: 't',
      type: 'trigger.event',
      config: { event: 'cart', filter: { '>': [{ var: 'event.properties.total' }, threshold] } },
    },
    { id: 'w', type: 'wait.event', config: { event: 'paid', timeout: 'PT2H' } },
    { id: 'log', type: 'action.log', config: { message: 'nudge' } },
  ],
  edges: [
    { source: 't', target: 'w' },
    { source: 'w', sourceHandle: 'timeout', target: 'log' },
  ],
});
const plan = (doc: WorkflowDocumentInput) => loadPlan(compileWorkflow(doc));
let n = 0;
const ev = (userId: string, name: string, hours: number, total = 0) => ({
  name,
  userId,
  properties: { total },
  timestamp: new Date(T0 + hours * HOUR).toISOString(),
  messageId: `m${++n}`,
  at: T0 + hours * HOUR,
});

describe('createBacktest', () => {
  it('counts draft and live per node and output over the same events, waits in simulated time, nothing sent', async () => {
    const bt = createBacktest(plan(flow(10)), plan(flow(100)));
    expect(backtestEventNames(plan(flow(10)), null).sort()).toEqual(['cart', 'paid']);
    for (const e of [
      ev('a', 'cart', 0, 50), // draft only; never pays -> nudged when the wait times out
      ev('b', 'cart', 1, 500), // both; pays an hour later (a later event the wait sees)
      ev('b', 'paid', 2),
      ev('c', 'cart', 30, 5), // neither
      ev('d', 'cart', 47, 200), // both; still waiting at the end
    ])
      await bt.event(e);
    const r = await bt.finish(T0 + 48 * HOUR);
    expect(r.events).toBe(5);
    expect(r.draft.nodes).toEqual({
      t: { entered: 3, outputs: { next: 3 } },
      w: { entered: 3, outputs: { received: 1, timeout: 1 } },
      log: { entered: 1, outputs: { next: 1 } },
    });
    expect(r.live?.nodes).toEqual({
      t: { entered: 2, outputs: { next: 2 } },
      w: { entered: 2, outputs: { received: 1 } },
      log: { entered: 0, outputs: {} },
    });
    expect(r.difference).toEqual({
      t: { entered: 1, outputs: { next: 1 } },
      w: { entered: 1, outputs: { received: 0, timeout: 1 } },
      log: { entered: 1, outputs: { next: 1 } },
    });
    expect(r.draft.actionsPerDay).toEqual({ '2026-11-20': 1 });
    expect(r.live?.actions).toBe(0);
    expect([r.draft.usersEntered, r.live?.usersEntered]).toEqual([3, 2]);
    expect(r.onlyDraft).toEqual(['a']);
    expect(r.draft.samples).toMatchObject({ acted: ['a'], waiting: ['d'] });
    expect(r.draft.samples.completed.sort()).toEqual(['a', 'b']);
  });
});

describe('createBacktest with a look-up', () => {
  it('does not call it: runs take its error output, and the result says so', async () => {
    const enriched: WorkflowDocumentInput = {
      name: 'Enrich',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'cart' } },
        { id: 'profile', type: 'lookup.http', config: { url: 'https://api.example.com/u/{{ event.userId }}' } },
        { id: 'log', type: 'action.log', config: { message: 'plan {{ lookup.profile.plan }}' } },
      ],
      edges: [
        { source: 't', target: 'profile' },
        { source: 'profile', sourceHandle: 'ok', target: 'log' },
      ],
    };
    const bt = createBacktest(plan(enriched), null);
    for (const e of [ev('a', 'cart', 0), ev('b', 'cart', 1)]) await bt.event(e);
    const result = await bt.finish(T0 + 10 * HOUR);
    expect(result.draft.nodes.profile).toEqual({ entered: 2, outputs: { error: 2 } });
    expect(result.draft.actions).toBe(0);
    expect(result.notes).toEqual([
      'Look-ups are not called in backtests: the 2 run(s) that reached profile took its error output.',
    ]);
  });
});
