import { actionDeliveries, pathCounts, withTenant } from '@tripwire/db';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createMaintenance } from '../src/maintenance.ts';
import { engineSuite } from '../test/engine-suite.ts';
import { publish, track, until } from '../test/fixtures.ts';

// What the run trace and the canvas counts read: every delivery attempt, and counters the engine
// keeps in the transaction that records the runs.
const s = engineSuite('history', { onReceiver: (r) => r.respondWith((req) => (req.path === '/down' ? 500 : 200)) });

describe('run history (real Kafka, Postgres, pg-boss, HTTP)', () => {
  it('records each delivery attempt and counts runs into, out of and along every node', async () => {
    const { workflowId } = await publish(s.db, s.tenant.tenantId, {
      name: 'history',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'ordered' } },
        { id: 'big', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.total' }, 100] } } },
        s.webhook('ok', '/up', { total: '{{ event.properties.total }}' }),
        s.webhook('down', '/down'),
        { id: 'later', type: 'wait.delay', config: { duration: 'PT1S' } },
        { id: 'log', type: 'action.log', config: { message: 'done' } },
      ],
      edges: [
        { source: 'start', target: 'big' },
        { source: 'big', sourceHandle: 'true', target: 'ok' },
        { source: 'big', sourceHandle: 'false', target: 'down' },
        { source: 'start', target: 'later' },
        { source: 'later', target: 'log' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'ordered'), 5000, 'workflow loaded');
    await s.t.produce([
      track(s.tenant.tenantId, 'u1', 'ordered', { total: 500 }),
      track(s.tenant.tenantId, 'u2', 'ordered', { total: 700 }),
      track(s.tenant.tenantId, 'u3', 'ordered', { total: 5 }),
    ]);
    const tenant = s.tenant.tenantId;
    const deliveries = () =>
      withTenant(s.db, tenant, (tx) =>
        tx
          .select()
          .from(actionDeliveries)
          .where(eq(actionDeliveries.workflowId, workflowId))
          .orderBy(actionDeliveries.at),
      );
    // The engine suite retries 3 times (4 attempts), then the action is dead.
    const rows = await until(
      async () => {
        const r = await deliveries();
        return r.filter((d) => d.nodeId === 'down').some((d) => d.outcome === 'failed') && r.length >= 6
          ? r
          : undefined;
      },
      30_000,
      'deliveries recorded',
    );
    const up = rows.filter((d) => d.nodeId === 'ok');
    expect(up).toHaveLength(2);
    expect(up.map((d) => [d.attempt, d.outcome, d.httpStatus, d.response])).toEqual([
      [1, 'delivered', 200, '{}'],
      [1, 'delivered', 200, '{}'],
    ]);
    const down = rows.filter((d) => d.nodeId === 'down');
    expect(down.map((d) => [d.attempt, d.outcome, d.httpStatus])).toEqual([
      [1, 'retrying', 500],
      [2, 'retrying', 500],
      [3, 'retrying', 500],
      [4, 'failed', 500],
    ]);
    expect(down[0]?.error).toBe('webhook.server_error: the receiver answered 500');
    expect(down.every((d) => (d.latencyMs ?? -1) >= 0)).toBe(true);

    await until(
      async () => ((await s.runs(workflowId)).every((r) => r.status === 'completed') ? true : undefined),
      15_000,
    );
    const counts = await withTenant(s.db, tenant, (tx) =>
      tx
        .select({ nodeId: pathCounts.nodeId, output: pathCounts.output, n: sql<number>`sum(${pathCounts.count})::int` })
        .from(pathCounts)
        .where(and(eq(pathCounts.workflowId, workflowId), eq(pathCounts.version, 1)))
        .groupBy(pathCounts.nodeId, pathCounts.output),
    );
    const byKey = Object.fromEntries(counts.map((c) => [`${c.nodeId}:${c.output}`, c.n]));
    expect(byKey).toEqual({
      'start:': 3,
      'start:next': 3,
      'big:': 3,
      'big:true': 2,
      'big:false': 1,
      'ok:': 2,
      'ok:next': 2,
      'down:': 1,
      'down:next': 1,
      'later:': 3,
      'later:next': 3,
      'log:': 3,
      'log:next': 3,
    });
  });

  it('folds counters older than an hour into one row per hour, keeping every sum, and leaves recent ones alone', async () => {
    const { workflowId } = await publish(s.db, s.tenant.tenantId, {
      name: 'folding',
      nodes: [{ id: 'start', type: 'trigger.event', config: { event: 'never-sent' } }],
      edges: [],
    });
    const tenantId = s.tenant.tenantId;
    const hourAgo = Date.now() - 3 * 3_600_000;
    const hour = hourAgo - (hourAgo % 3_600_000);
    const now = Date.now() - (Date.now() % 300_000);
    const row = (bucket: number, shard: number, count: number, output = '') => ({
      tenantId,
      workflowId,
      version: 1,
      bucket: new Date(bucket),
      nodeId: 'start',
      output,
      shard,
      count,
    });
    await withTenant(s.db, tenantId, (tx) =>
      tx
        .insert(pathCounts)
        .values([
          row(hour, 0, 1),
          row(hour + 300_000, 2, 2),
          row(hour + 600_000, 5, 3),
          row(hour + 600_000, 5, 4, 'next'),
          row(now, 3, 10),
        ]),
    );
    await createMaintenance(s.db, createLogger('silent'), {
      runRetentionDays: 14,
      processedRetentionHours: 168,
    }).prune();
    const rows = await withTenant(s.db, tenantId, (tx) =>
      tx
        .select({
          bucket: pathCounts.bucket,
          output: pathCounts.output,
          shard: pathCounts.shard,
          count: pathCounts.count,
        })
        .from(pathCounts)
        .where(eq(pathCounts.workflowId, workflowId))
        .orderBy(pathCounts.bucket, pathCounts.output),
    );
    expect(rows.map((r) => [r.bucket.getTime(), r.output, r.shard, r.count])).toEqual([
      [hour, '', 0, 6],
      [hour, 'next', 0, 4],
      [now, '', 3, 10],
    ]);
  });
});
