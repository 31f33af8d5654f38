import { TENANT_SETTING, type TenantTx } from '@tripwire/db';
import {
  type ActionAdmission,
  addDays,
  dayPeriod,
  MAX_HOLD_DAYS,
  OVER_ACTION_QUOTA_REASON,
  type OverQuotaActions,
} from '@tripwire/rules';
import { sql } from 'drizzle-orm';

// The daily action quota (decision 039). Each unit of work counts the actions its walks send per
// tenant and UTC day, and writes the counts with its other state, in its transaction: a redelivered
// event (its walks discarded) counts nothing, and a rolled-back batch counted nothing. A tenant with
// a quota is decided against the committed count read once per unit; at the end the unit adds its
// counts only where they still fit, and if another transaction used the room meanwhile (two
// partitions of one tenant near its quota), the whole unit is done again (QuotaRace), so the quota
// holds exactly across engines without a lock held through the batch.

/** How long a tenant's plan is trusted by an engine: a change takes effect within this. */
export const QUOTA_PLAN_TTL_MS = 5_000;

export interface ActionQuotaPlan {
  /** null: no quota (actions are still counted, for the usage page). */
  actionsPerDay: number | null;
  overQuota: OverQuotaActions;
}

const NO_QUOTA: ActionQuotaPlan = { actionsPerDay: null, overQuota: 'hold' };

/** The tenants' action quotas, cached per engine. */
export function createQuotaPlans(ttlMs = QUOTA_PLAN_TTL_MS) {
  const cache = new Map<string, { plan: ActionQuotaPlan; until: number }>();
  return async function planOf(enter: () => Promise<TenantTx>, tenantId: string): Promise<ActionQuotaPlan> {
    const hit = cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.plan;
    const tx = await enter();
    const { rows } = await tx.execute<{ actions_per_day: number | null; over_quota_actions: OverQuotaActions }>(sql`
      select p.actions_per_day, p.over_quota_actions
      from tenants t join plans p on p.id = t.plan_id where t.id = ${tenantId}::uuid`);
    const row = rows[0];
    const plan = row ? { actionsPerDay: row.actions_per_day, overQuota: row.over_quota_actions } : NO_QUOTA;
    cache.set(tenantId, { plan, until: Date.now() + ttlMs });
    return plan;
  };
}
export type QuotaPlans = ReturnType<typeof createQuotaPlans>;

/** Another transaction took the room this unit decided with: do the unit again (a serialization failure). */
export class QuotaRace extends Error {
  readonly code = '40001';
  constructor(tenantId: string) {
    super(`the daily action quota of tenant ${tenantId} changed while this unit decided; it is done again`);
  }
}

interface TenantCounts {
  plan: ActionQuotaPlan;
  /** Committed counts from today on (held actions count on their day), read once. */
  base?: Map<string, number>;
  /** This unit's counts per day. */
  pending: Map<string, number>;
}

const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);

async function committedCounts(tx: TenantTx, tenantId: string, today: string): Promise<Map<string, number>> {
  const { rows } = await tx.execute<{ period: string; count: string }>(sql`
    select period::text as period, count from usage_counters
    where tenant_id = ${tenantId}::uuid and metric = 'actions' and period >= ${today}::date`);
  return new Map(rows.map((r) => [r.period, Number(r.count)]));
}

/** One unit's action counts (see the top of this file). */
export function createActionCounts() {
  let tenants = new Map<string, TenantCounts>();

  return {
    /** Admits one more action of `tenantId` at `now`: today, on the first later day with room (hold), or not (drop). */
    async admit(
      tenantId: string,
      now: number,
      plan: ActionQuotaPlan,
      enter: () => Promise<TenantTx>,
    ): Promise<ActionAdmission> {
      let t = tenants.get(tenantId);
      if (!t) {
        t = { plan, pending: new Map() };
        tenants.set(tenantId, t);
      }
      const today = dayPeriod(now);
      const limit = t.plan.actionsPerDay;
      if (limit === null) {
        add(t.pending, today, 1);
        return { send: true };
      }
      t.base ??= await committedCounts(await enter(), tenantId, today);
      const days = t.plan.overQuota === 'hold' ? MAX_HOLD_DAYS : 0;
      for (let i = 0; i <= days; i++) {
        const day = addDays(today, i);
        if ((t.base.get(day) ?? 0) + (t.pending.get(day) ?? 0) >= limit) continue;
        add(t.pending, day, 1);
        return i === 0 ? { send: true } : { send: true, heldUntil: Date.parse(day), reason: OVER_ACTION_QUOTA_REASON };
      }
      return {
        send: false,
        reason: days === 0 ? OVER_ACTION_QUOTA_REASON : `${OVER_ACTION_QUOTA_REASON} (the next ${days} days are full)`,
      };
    },
    mark: () => new Map([...tenants].map(([id, t]) => [id, { ...t, pending: new Map(t.pending) }])),
    discard(mark: Map<string, TenantCounts>) {
      tenants = new Map([...mark].map(([id, t]) => [id, { ...t, pending: new Map(t.pending) }]));
    },
    /**
     * Adds the unit's counts, one statement per tenant in tenant order (rows in day order), acting as
     * each tenant; returns the tenant it acts as last. Throws QuotaRace if a day no longer has room.
     */
    async flush(tx: TenantTx): Promise<string | undefined> {
      const ordered = [...tenants].filter(([, t]) => t.pending.size > 0).sort(([a], [b]) => (a < b ? -1 : 1));
      tenants = new Map();
      let last: string | undefined;
      for (const [tenantId, t] of ordered) {
        const days = [...t.pending].sort(([a], [b]) => (a < b ? -1 : 1));
        const values = sql.join(
          days.map(([day, n]) => sql`(${day}::date, ${n}::bigint)`),
          sql`, `,
        );
        const limit = t.plan.actionsPerDay;
        const { rows } = await tx.execute(sql`
          with tenant as materialized (select set_config(${TENANT_SETTING}, ${tenantId}, true))
          insert into usage_counters (tenant_id, metric, period, count)
          select ${tenantId}::uuid, 'actions', v.period, v.n from tenant, (values ${values}) as v(period, n)
          on conflict (tenant_id, metric, period) do update set count = usage_counters.count + excluded.count
          ${limit === null ? sql`` : sql`where usage_counters.count + excluded.count <= ${limit}`}
          returning period`);
        last = tenantId;
        if (rows.length < days.length) throw new QuotaRace(tenantId);
      }
      return last;
    },
  };
}
export type ActionCounts = ReturnType<typeof createActionCounts>;

/** Runs a unit of work (its own transaction) again while it loses a QuotaRace: the next try reads the count that won. */
export async function againOnQuotaRace<T>(unit: () => Promise<T>, beforeRetry?: () => void, tries = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await unit();
    } catch (error) {
      if (!(error instanceof QuotaRace) || attempt >= tries) throw error;
      beforeRetry?.();
    }
  }
}
