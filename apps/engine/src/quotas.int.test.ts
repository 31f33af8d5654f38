import { runs as runRows, usageCounters, withTenant } from '@tripwire/db';
import { actionQueue, addDays, dayPeriod, nextDayStart, OVER_ACTION_QUOTA_REASON } from '@tripwire/rules';
import { assignPlan, createPlan } from '@tripwire/web/src/services/plans.ts';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { createTestTenant, publish, track, until } from '../test/fixtures.ts';

// The daily action quota (decision 039): over it, a plan's actions are held for the next day with
// room (queued in pg-boss until then, never lost) or dropped (the trace says so). The engine's
// clock is moved close to a UTC midnight so a held action's day comes during the test.
let offset = 0;
const s = engineSuite('quotas', { engine: { clock: () => Date.now() + offset } });
const unique = () => `e${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function onPlan(tenantId: string, limits: Parameters<typeof createPlan>[2]) {
  const plan = unique();
  await createPlan(s.db, plan, limits);
  await assignPlan(s.db, tenantId, plan);
}

async function actionCounts(tenantId: string): Promise<Record<string, number>> {
  const rows = await withTenant(s.db, tenantId, (tx) =>
    tx
      .select({ period: usageCounters.period, count: usageCounters.count })
      .from(usageCounters)
      .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.metric, 'actions'))),
  );
  return Object.fromEntries(rows.map((r) => [r.period, Number(r.count)]));
}

async function workflowFor(tenantId: string, event: string, path: string) {
  const { workflowId } = await publish(s.db, tenantId, {
    name: `Quota ${event}`,
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event } },
      s.webhook('send', path, { n: '{{ event.userId }}' }),
    ],
    edges: [{ source: 'start', target: 'send' }],
  });
  await until(() => s.t.engine.cache.route(tenantId, event), 5000, 'workflow loaded');
  return workflowId;
}

const runsOf = (tenantId: string, workflowId: string) =>
  withTenant(s.db, tenantId, (tx) =>
    tx
      .select()
      .from(runRows)
      .where(and(eq(runRows.tenantId, tenantId), eq(runRows.workflowId, workflowId))),
  );

type Detail = { actionId?: string; skipped?: string; reason?: string; heldUntil?: string; held?: string };
const sendDetail = (run: { path: unknown }) =>
  ((run.path as { nodeId: string; detail?: Detail }[]).find((p) => p.nodeId === 'send')?.detail ?? {}) as Detail;

describe('daily action quota', () => {
  it('drops actions over the quota: not sent, and the run trace says why', { timeout: 60_000 }, async () => {
    const { tenantId } = s.tenant;
    await onPlan(tenantId, { actionsPerDay: 2, overQuotaActions: 'drop' });
    const workflowId = await workflowFor(tenantId, 'dropped', '/drop');
    await s.t.produce(Array.from({ length: 5 }, (_, i) => track(tenantId, `d${i}`, 'dropped')));
    const runs = await until(
      async () => {
        const r = await s.runs(workflowId);
        return r.length === 5 && r.every((x) => x.status === 'completed') ? r : undefined;
      },
      20_000,
      'five runs',
    );
    await until(() => s.at('/drop').length >= 2, 15_000, 'two deliveries');
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.at('/drop')).toHaveLength(2);
    const details = runs.map(sendDetail);
    expect(details.filter((d) => typeof d.actionId === 'string')).toHaveLength(2);
    expect(details.filter((d) => d.skipped === 'quota')).toEqual(
      Array.from({ length: 3 }, () => ({ skipped: 'quota', reason: OVER_ACTION_QUOTA_REASON })),
    );
    expect(await actionCounts(tenantId)).toEqual({ [dayPeriod(Date.now())]: 2 });
  });

  it('holds actions over the quota for the next day with room, and delivers them when it comes', {
    timeout: 90_000,
  }, async () => {
    const tenant = await createTestTenant(s.db, 'hold');
    const { tenantId } = tenant;
    await onPlan(tenantId, { actionsPerDay: 2, overQuotaActions: 'hold' });
    const workflowId = await workflowFor(tenantId, 'held', '/hold');
    // The engine's day ends 20 s from now.
    const now = Date.now();
    offset = nextDayStart(now) - 20_000 - now;
    const today = dayPeriod(now + offset);
    const midnight = nextDayStart(now + offset);
    await s.t.produce(Array.from({ length: 5 }, (_, i) => track(tenantId, `h${i}`, 'held')));
    const runs = await until(
      async () => {
        const r = await runsOf(tenantId, workflowId);
        return r.length === 5 ? r : undefined;
      },
      15_000,
      'five runs',
    );
    // Two today; two on the next day (full with them), one the day after.
    const held = runs.map(sendDetail).filter((d) => d.heldUntil);
    expect(runs.map(sendDetail).every((d) => typeof d.actionId === 'string')).toBe(true);
    expect(held.map((d) => d.heldUntil).sort()).toEqual([
      new Date(midnight).toISOString(),
      new Date(midnight).toISOString(),
      new Date(midnight + 86_400_000).toISOString(),
    ]);
    expect(held.every((d) => d.held === OVER_ACTION_QUOTA_REASON)).toBe(true);
    expect(await actionCounts(tenantId)).toEqual({ [today]: 2, [addDays(today, 1)]: 2, [addDays(today, 2)]: 1 });
    await until(() => s.at('/hold').length >= 2, 15_000, 'today’s two');
    // Still before midnight: the held ones wait in the queue.
    if (Date.now() + offset < midnight - 2000) expect(s.at('/hold')).toHaveLength(2);
    await until(() => s.at('/hold').length >= 4, 40_000, 'the next day’s two, after midnight');
    expect(Date.now() + offset).toBeGreaterThanOrEqual(midnight);
    // The fifth is not lost: queued for the day after, in the action queue.
    const { rows } = await s.db.execute<{ state: string; due: boolean }>(sql`
      select state, start_after > now() + interval '23 hours' as due from ${sql.identifier(s.t.schema)}.job
      where name = ${actionQueue('action.webhook', 1)} and data->>'tenantId' = ${tenantId} and state = 'created'`);
    expect(rows).toEqual([{ state: 'created', due: true }]);

    // The new day is already full with what was held for it: a new action waits for the day after.
    await s.t.produce([track(tenantId, 'h-next', 'held')]);
    const next = await until(
      async () => {
        const r = await runsOf(tenantId, workflowId);
        return r.find((x) => x.userId === 'h-next');
      },
      15_000,
      'the next day’s run',
    );
    expect(sendDetail(next).heldUntil).toBe(new Date(midnight + 86_400_000).toISOString());
    expect(await actionCounts(tenantId)).toEqual({ [today]: 2, [addDays(today, 1)]: 2, [addDays(today, 2)]: 2 });
    expect(s.at('/hold')).toHaveLength(4);
  });
});
