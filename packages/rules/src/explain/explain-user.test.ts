import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import type { ReplayEvent } from '../replay/replay.ts';
import { loadPlan } from '../runtime/loaded-plan.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';
import { explainUser } from './explain-user.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const MIN = 60_000;
let seq = 0;
const ev = (
  name: string,
  minute: number,
  properties: Record<string, unknown> = {},
  messageId?: string,
): ReplayEvent => {
  const at = T0 + minute * MIN;
  return {
    name,
    userId: 'u1',
    properties,
    timestamp: new Date(at).toISOString(),
    messageId: messageId ?? `m${++seq}`,
    at,
  };
};
const plan = (doc: WorkflowDocumentInput) => loadPlan(compileWorkflow(doc));

const checkout: WorkflowDocumentInput = {
  name: 'Abandoned cart',
  nodes: [
    {
      id: 't',
      type: 'trigger.event',
      config: { event: 'cart', filter: { '>': [{ var: 'event.properties.total' }, 50] } },
    },
    { id: 'cap', type: 'limit.frequency', config: { max: 1, per: 'PT1H' } },
    {
      id: 'w',
      type: 'wait.event',
      config: { event: 'paid', timeout: 'PT30M', match: { '==': [{ var: 'event.properties.ok' }, true] } },
    },
    { id: 'log', type: 'action.log', config: { message: 'nudge' } },
  ],
  edges: [
    { source: 't', target: 'cap' },
    { source: 'cap', sourceHandle: 'pass', target: 'w' },
    { source: 'w', sourceHandle: 'timeout', target: 'log' },
  ],
};

describe('explainUser: why (not) event by event', () => {
  const v1 = { version: 1, plan: plan(checkout) };
  const live = [{ version: 1, at: T0 - MIN }];

  it('names each reason: no trigger, filter false with its values, started, waiting, frequency-limited until when', async () => {
    const events = [
      ev('viewed', 0),
      ev('cart', 1, { total: 10 }),
      ev('cart', 2, { total: 80 }),
      ev('paid', 3, { ok: false }),
      ev('cart', 4, { total: 90 }),
    ];
    const x = await explainUser({ workflowId: 'wf', versions: [v1], activations: live, events });
    const [viewed, small, big, paid, again] = x.events;
    expect(viewed?.reasons).toEqual([{ code: 'no_trigger', listensTo: ['cart'] }]);
    expect(viewed?.lines[0]).toBe('"viewed" does not match any trigger (the trigger listens to "cart").');
    expect(small?.reasons[0]).toMatchObject({ code: 'filtered', read: { 'event.properties.total': 10 } });
    expect(small?.lines[0]).toContain('was false: it read event.properties.total = 10');
    expect(big?.reasons).toEqual([{ code: 'started', runId: 'run-1' }]);
    // Awaited, not a trigger: the wait's match is the reason, not the missing trigger.
    expect(paid?.reasons).toEqual([
      { code: 'wait_not_matched', runId: 'run-1', nodeId: 'w', read: { 'event.properties.ok': false } },
    ]);
    // The user is in run-1, waiting for "paid" until 30 minutes after it started.
    expect(again?.inRuns).toEqual([
      {
        runId: 'run-1',
        version: 1,
        startedAt: new Date(T0 + 2 * MIN).toISOString(),
        waiting: { nodeId: 'w', event: 'paid', until: new Date(T0 + 32 * MIN).toISOString() },
      },
    ]);
    expect(again?.reasons).toEqual([
      {
        code: 'frequency_limited',
        runId: 'run-2',
        nodeId: 'cap',
        passes: 1,
        max: 1,
        until: new Date(T0 + 62 * MIN).toISOString(),
      },
    ]);
    expect(again?.lines[0]).toContain('1 of 1 allowed already passed, until');
  });

  it('says when the workflow was unpublished and when a message id was a duplicate', async () => {
    const activations = [
      { version: 1, at: T0 },
      { version: null, at: T0 + 10 * MIN },
    ];
    const first = ev('cart', 1, { total: 99 }, 'same');
    const x = await explainUser({
      workflowId: 'wf',
      versions: [v1],
      activations,
      events: [ev('cart', -5, { total: 99 }), first, { ...first, at: T0 + 2 * MIN }, ev('cart', 11, { total: 99 })],
      until: T0 + 120 * MIN,
    });
    expect(x.events.map((e) => e.reasons.map((r) => r.code))).toEqual([
      ['unpublished'],
      ['started'],
      ['duplicate'],
      ['unpublished'],
    ]);
    expect(x.events[0]?.version).toBeNull();
    // The run went on after the pause (runs keep their version): its wait timed out and it logged.
    expect(x.runs).toHaveLength(1);
    expect(x.runs[0]).toMatchObject({ version: 1, triggerMessageId: 'same', status: 'completed', actions: 1 });
  });

  it('runs each event through the version live at its time, with counters shared by the versions', async () => {
    const v2doc = structuredClone(checkout);
    (v2doc.nodes[0] as { config: Record<string, unknown> }).config.filter = {
      '>': [{ var: 'event.properties.total' }, 5],
    };
    const v2 = { version: 2, plan: plan(v2doc) };
    const x = await explainUser({
      workflowId: 'wf',
      versions: [v1, v2],
      activations: [
        { version: 1, at: T0 },
        { version: 2, at: T0 + 5 * MIN },
      ],
      events: [ev('cart', 1, { total: 10 }), ev('cart', 6, { total: 10 }), ev('cart', 7, { total: 10 })],
    });
    expect(x.events.map((e) => [e.version, e.reasons.map((r) => r.code)])).toEqual([
      [1, ['filtered']],
      [2, ['started']],
      [2, ['frequency_limited']],
    ]);
    expect(x.events[2]?.reasons[0]).toMatchObject({ code: 'frequency_limited', runId: 'run-2' });
  });

  it('resumes a waiting run with the awaited event', async () => {
    const x = await explainUser({
      workflowId: 'wf',
      versions: [v1],
      activations: live,
      events: [ev('cart', 1, { total: 60 }), ev('paid', 2, { ok: true })],
    });
    expect(x.events[1]?.reasons).toEqual([{ code: 'resumed', runId: 'run-1', nodeId: 'w' }]);
    expect(x.runs[0]).toMatchObject({ status: 'completed', actions: 0 });
  });
});
