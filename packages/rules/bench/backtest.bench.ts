// Backtest replay throughput (issue 14): a week of events for 20,000 users replayed through a draft
// and the live version side by side (filter, frequency cap, wait.event with a timeout, an action).
// The figure is history events replayed per second (each through both versions), the replay alone
// without the store's reads. Target: >= 100,000 events/s.
import { loadavg } from 'node:os';
import { compileWorkflow } from '../src/compiler/compile-workflow.ts';
import { createBacktest } from '../src/replay/backtest.ts';
import { loadPlan } from '../src/runtime/loaded-plan.ts';
import type { WorkflowDocumentInput } from '../src/workflow/document.ts';

const EVENTS = Number(process.env.BACKTEST_BENCH_EVENTS ?? 500_000);
const USERS = 20_000;
const WEEK = 7 * 86_400_000;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');

const flow = (threshold: number, max: number): WorkflowDocumentInput => ({
  name: 'Abandoned cart',
  nodes: [
    {
      id: 't',
      type: 'trigger.event',
      config: { event: 'cart', filter: { '>': [{ var: 'event.properties.total' }, threshold] } },
    },
    { id: 'cap', type: 'limit.frequency', config: { max, per: 'P1D' } },
    { id: 'w', type: 'wait.event', config: { event: 'paid', timeout: 'PT4H' } },
    { id: 'if', type: 'condition.if', config: { logic: { '>=': [{ var: 'trigger.properties.total' }, 200] } } },
    {
      id: 'hook',
      type: 'action.webhook',
      config: { url: 'https://example.com/hook', body: { total: '{{ trigger.properties.total }}' } },
    },
    { id: 'log', type: 'action.log', config: { message: 'small cart' } },
  ],
  edges: [
    { source: 't', target: 'cap' },
    { source: 'cap', sourceHandle: 'pass', target: 'w' },
    { source: 'w', sourceHandle: 'timeout', target: 'if' },
    { source: 'if', sourceHandle: 'true', target: 'hook' },
    { source: 'if', sourceHandle: 'false', target: 'log' },
  ],
});
const names = ['cart', 'paid', 'page_viewed', 'cart', 'page_viewed'];
const events = Array.from({ length: EVENTS }, (_, i) => {
  const at = T0 + Math.floor((i / EVENTS) * WEEK);
  return {
    name: names[i % names.length] as string,
    userId: `u${(i * 7919) % USERS}`,
    properties: { total: (i * 37) % 500 },
    timestamp: new Date(at).toISOString(),
    messageId: `m${i}`,
    at,
  };
});
const draft = loadPlan(compileWorkflow(flow(50, 2)));
const live = loadPlan(compileWorkflow(flow(100, 1)));

for (const round of [1, 2, 3]) {
  const bt = createBacktest(draft, live);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const e of events) {
    // Synchronous for these node types: awaiting only a promise saves a microtask per event.
    const pending = bt.event(e);
    if (pending) await pending;
  }
  const r = await bt.finish(T0 + WEEK);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const rate = EVENTS / seconds;
  console.log(
    `round ${round}: ${EVENTS.toLocaleString('en-US')} events through draft and live in ${seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en-US')} events/s wall, ${Math.round(EVENTS / cpuSeconds).toLocaleString('en-US')} per CPU-second (the machine is shared: load ${loadavg()[0]?.toFixed(1)}) (draft ${r.draft.runs} runs, ${r.draft.actions} actions; live ${r.live?.runs} runs, ${r.live?.actions} actions)  [target >= 100,000: ${rate >= 100_000 ? 'met' : 'MISSED'}]`,
  );
}
