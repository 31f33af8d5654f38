import { randomUUID } from 'node:crypto';
import { actionDeliveries, pathCounts, runs, withTenant } from '@tripwire/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApi } from '../../../tests/support/api-fixture.ts';
import { signUpOwner } from '../../../tests/support/trpc-session.ts';

// The run explorer, the trace and the canvas counts over tRPC, on rows as the engine writes them
// (apps/engine/src/history.int.test.ts shows the engine writing them).

let api: ApiFixture;
beforeAll(async () => {
  api = await startApi('runs-trpc');
});
afterAll(async () => {
  await api?.stop();
});

const flow = {
  name: 'Big orders',
  nodes: [
    { id: 'start', type: 'trigger.event', config: { event: 'ordered' } },
    { id: 'big', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.total' }, 100] } } },
    { id: 'later', type: 'wait.delay', config: { duration: 'PT1M' } },
    { id: 'hook', type: 'action.webhook', config: { url: 'https://hooks.example.com/orders' } },
  ],
  edges: [
    { source: 'start', target: 'big' },
    { source: 'big', sourceHandle: 'true', target: 'later' },
    { source: 'later', target: 'hook' },
  ],
};

async function setUp() {
  const owner = await signUpOwner(api);
  const t = await owner.b.caller();
  const { id: workflowId } = await t.workflows.create({ name: flow.name, document: flow });
  await t.workflows.publish({ id: workflowId });
  return { owner, t, workflowId, tenantId: owner.tenantId };
}

const at = (ms: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0) + ms);

describe('run explorer, trace and counts (tRPC, real Postgres)', () => {
  it('lists runs newest first with filters and a cursor, and each run’s delivery status', async () => {
    const { t, workflowId, tenantId } = await setUp();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await withTenant(api.web.db, tenantId, async (tx) => {
      await tx.insert(runs).values(
        ids.map((id, i) => ({
          tenantId,
          id,
          workflowId,
          version: 1,
          userId: i % 2 ? 'odd' : 'even',
          triggerEvent: { name: 'ordered', messageId: `m${i}` },
          status: i === 4 ? 'failed' : 'completed',
          path: [{ nodeId: 'hook', type: 'action.webhook', at: at(i).toISOString(), detail: { actionId: `a${i}` } }],
          startedAt: at(i * 1000),
        })),
      );
      await tx.insert(actionDeliveries).values([
        {
          tenantId,
          actionId: 'a0',
          attempt: 1,
          runId: ids[0] as string,
          workflowId,
          nodeId: 'hook',
          outcome: 'delivered',
        },
        {
          tenantId,
          actionId: 'a1',
          attempt: 1,
          runId: ids[1] as string,
          workflowId,
          nodeId: 'hook',
          outcome: 'retrying',
        },
        {
          tenantId,
          actionId: 'a2',
          attempt: 1,
          runId: ids[2] as string,
          workflowId,
          nodeId: 'hook',
          outcome: 'retrying',
        },
        {
          tenantId,
          actionId: 'a2',
          attempt: 2,
          runId: ids[2] as string,
          workflowId,
          nodeId: 'hook',
          outcome: 'failed',
        },
      ]);
    });
    const first = await t.runs.list({ limit: 2 });
    expect(first.runs.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    const second = await t.runs.list({ limit: 2, cursor: first.next ?? undefined });
    expect(second.runs.map((r) => [r.id, r.outcome])).toEqual([
      [ids[2], 'failed'],
      [ids[1], 'retrying'],
    ]);
    const last = await t.runs.list({ limit: 2, cursor: second.next ?? undefined });
    expect(last.runs.map((r) => [r.id, r.outcome])).toEqual([[ids[0], 'delivered']]);
    expect(last.next).toBeNull();
    expect((await t.runs.list({ filter: { userId: 'odd' } })).runs.map((r) => r.id)).toEqual([ids[3], ids[1]]);
    expect((await t.runs.list({ filter: { workflowId, status: 'failed' } })).runs.map((r) => r.id)).toEqual([ids[4]]);
    const window = { from: at(1000), to: at(3000) };
    expect((await t.runs.list({ filter: window })).runs.map((r) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect((await t.runs.list({ filter: { workflowId, nodeId: 'nope' } })).runs).toEqual([]);
  });

  it('traces a run: values read, the wait and how late it resumed, each attempt, and the dead letter', async () => {
    const { t, workflowId, tenantId } = await setUp();
    const runId = randomUUID();
    await withTenant(api.web.db, tenantId, async (tx) => {
      await tx.insert(runs).values({
        tenantId,
        id: runId,
        workflowId,
        version: 1,
        userId: 'ada',
        triggerEvent: { name: 'ordered', messageId: 'm1', properties: { total: 420 } },
        status: 'completed',
        path: [
          {
            nodeId: 'start',
            type: 'trigger.event',
            at: at(0).toISOString(),
            output: 'next',
            detail: { messageId: 'm1' },
          },
          {
            nodeId: 'big',
            type: 'condition.if',
            at: at(0).toISOString(),
            output: 'true',
            detail: { result: true, read: { 'event.properties.total': 420 } },
          },
          { nodeId: 'later', type: 'wait.delay', at: at(0).toISOString(), detail: { until: at(60_000).toISOString() } },
          {
            nodeId: 'later',
            type: 'wait.delay',
            at: at(60_350).toISOString(),
            output: 'next',
            detail: { resumedBy: 'delay' },
          },
          {
            nodeId: 'hook',
            type: 'action.webhook',
            at: at(60_350).toISOString(),
            output: 'next',
            detail: { actionId: 'x1' },
          },
        ],
      });
      await tx.insert(actionDeliveries).values([
        {
          tenantId,
          actionId: 'x1',
          attempt: 1,
          runId,
          workflowId,
          nodeId: 'hook',
          outcome: 'retrying',
          httpStatus: 503,
          latencyMs: 40,
          response: 'busy',
          error: 'webhook.server_error: the receiver answered 503',
        },
        {
          tenantId,
          actionId: 'x1',
          attempt: 2,
          runId,
          workflowId,
          nodeId: 'hook',
          outcome: 'delivered',
          httpStatus: 200,
          latencyMs: 12,
          response: '{"ok":true}',
        },
      ]);
    });
    const trace = await t.runs.trace({ id: runId });
    expect(trace).toMatchObject({ workflowName: 'Big orders', version: 1, userId: 'ada', outcome: 'delivered' });
    expect(trace.document).toMatchObject({ nodes: expect.arrayContaining([expect.objectContaining({ id: 'big' })]) });
    expect(trace.entries[1]?.detail?.read).toEqual({ 'event.properties.total': 420 });
    expect(trace.entries[3]).toMatchObject({ scheduledFor: at(60_000).toISOString(), lateMs: 350 });
    expect(trace.entries[4]?.attempts?.map((a) => [a.attempt, a.outcome, a.httpStatus, a.response])).toEqual([
      [1, 'retrying', 503, 'busy'],
      [2, 'delivered', 200, '{"ok":true}'],
    ]);
    // Another workspace cannot see it.
    const stranger = await signUpOwner(api, 'Other');
    await expect((await stranger.b.caller()).runs.trace({ id: runId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('counts runs into and out of each node of the live version from the engine’s counters, over a window', async () => {
    const { t, workflowId, tenantId } = await setUp();
    const bucket = (minutesAgo: number) => {
      const now = Date.now() - minutesAgo * 60_000;
      return new Date(now - (now % 300_000));
    };
    const row = (nodeId: string, output: string, count: number, minutesAgo: number, shard = 0) => ({
      tenantId,
      workflowId,
      version: 1,
      bucket: bucket(minutesAgo),
      nodeId,
      output,
      shard,
      count,
    });
    await withTenant(api.web.db, tenantId, (tx) =>
      tx.insert(pathCounts).values([
        row('start', '', 5, 1),
        row('start', '', 2, 1, 3),
        row('start', 'next', 7, 1),
        row('big', '', 7, 1),
        row('big', 'true', 4, 1),
        row('big', 'false', 3, 1),
        row('start', '', 100, 600), // ten hours ago: in the day, not in the hour
      ]),
    );
    const hour = await t.runs.counts({ workflowId, window: '1h' });
    expect(hour.version).toBe(1);
    expect(hour.counts?.nodes.find((n) => n.nodeId === 'start')).toEqual({ nodeId: 'start', entered: 7, left: 7 });
    expect(hour.counts?.outputs.filter((o) => o.nodeId === 'big').sort((a, b) => a.count - b.count)).toEqual([
      { nodeId: 'big', output: 'false', count: 3 },
      { nodeId: 'big', output: 'true', count: 4 },
    ]);
    const day = await t.runs.counts({ workflowId, window: '24h' });
    expect(day.counts?.nodes.find((n) => n.nodeId === 'start')?.entered).toBe(107);
  });
});
