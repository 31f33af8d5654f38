import { actAsTenant, type TenantTx, usageCounters, withTenant } from '@tripwire/db';
import { addDays, dayPeriod, OVER_ACTION_QUOTA_REASON } from '@tripwire/rules';
import { assignPlan, createPlan } from '@tripwire/web/src/services/plans.ts';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestTenant, testDb } from '../../test/fixtures.ts';
import { type ActionQuotaPlan, againOnQuotaRace, createActionCounts, QuotaRace } from './action-quota.ts';

// Two units of work of one tenant deciding at once (two partitions, two engines): the quota holds
// exactly, because the one that commits second finds its room gone and is done again.
const { db, close } = testDb();
afterAll(() => close());

const now = Date.now();
const today = dayPeriod(now);

async function tenantWithQuota(limits: Parameters<typeof createPlan>[2]) {
  const { tenantId } = await createTestTenant(db, 'action-quota');
  const plan = `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await createPlan(db, plan, limits);
  await assignPlan(db, tenantId, plan);
  return tenantId;
}

async function counts(tenantId: string) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ period: usageCounters.period, count: usageCounters.count })
      .from(usageCounters)
      .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.metric, 'actions'))),
  );
  return Object.fromEntries(rows.map((r) => [r.period, Number(r.count)]));
}

/** A unit of work: `n` actions admitted and counted in one transaction; resolves what each was told. */
function unit(tenantId: string, plan: ActionQuotaPlan, n: number, beforeCommit?: Promise<void>) {
  return db.transaction(async (tx) => {
    const actions = createActionCounts();
    const enter = async (): Promise<TenantTx> => {
      await actAsTenant(tx, tenantId);
      return tx;
    };
    const told = [];
    for (let i = 0; i < n; i++) told.push(await actions.admit(tenantId, now, plan, enter));
    await beforeCommit;
    await actions.flush(tx);
    return told;
  });
}

describe('daily action counts (real Postgres)', () => {
  it('a unit that decided on room another took is refused at its flush, and done again decides on what is left', async () => {
    const plan: ActionQuotaPlan = { actionsPerDay: 2, overQuota: 'hold' };
    const tenantId = await tenantWithQuota({ actionsPerDay: 2 });
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // A decides first but commits last; B decides on the same (empty) count and commits first.
    const a = unit(tenantId, plan, 2, gate);
    await new Promise((r) => setTimeout(r, 200));
    const b = await unit(tenantId, plan, 2);
    expect(b).toEqual([{ send: true }, { send: true }]);
    release();
    await expect(a).rejects.toBeInstanceOf(QuotaRace);
    expect(await counts(tenantId)).toEqual({ [today]: 2 });

    const again = await againOnQuotaRace(() => unit(tenantId, plan, 2));
    const tomorrow = Date.parse(addDays(today, 1));
    expect(again).toEqual([
      { send: true, heldUntil: tomorrow, reason: OVER_ACTION_QUOTA_REASON },
      { send: true, heldUntil: tomorrow, reason: OVER_ACTION_QUOTA_REASON },
    ]);
    expect(await counts(tenantId)).toEqual({ [today]: 2, [addDays(today, 1)]: 2 });
  });

  it('drops over the quota, counts without a quota, and holds no further than 31 days', async () => {
    const dropped = await tenantWithQuota({ actionsPerDay: 1, overQuotaActions: 'drop' });
    expect(await unit(dropped, { actionsPerDay: 1, overQuota: 'drop' }, 3)).toEqual([
      { send: true },
      { send: false, reason: OVER_ACTION_QUOTA_REASON },
      { send: false, reason: OVER_ACTION_QUOTA_REASON },
    ]);
    expect(await counts(dropped)).toEqual({ [today]: 1 });

    const free = await tenantWithQuota({});
    expect(await unit(free, { actionsPerDay: null, overQuota: 'hold' }, 3)).toEqual(
      Array.from({ length: 3 }, () => ({ send: true })),
    );
    expect(await counts(free)).toEqual({ [today]: 3 });

    const none = await tenantWithQuota({ actionsPerDay: 0 });
    expect(await unit(none, { actionsPerDay: 0, overQuota: 'hold' }, 1)).toEqual([
      { send: false, reason: `${OVER_ACTION_QUOTA_REASON} (the next 31 days are full)` },
    ]);
    expect(await counts(none)).toEqual({});
  });
});
