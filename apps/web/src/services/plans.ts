import { type Database, plans, tenants, withTenant } from '@tripwire/db';
import { PlanLimits } from '@tripwire/rules';
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';

// The operator's plans (decision 039): written by the operator CLI, read by ingestion (through the
// key lookup), the engines and the usage page. A change reaches every web process at once (a
// NOTIFY clears their key caches) and every engine within its 5 s plan cache.

/** A plan's name: what the operator calls it in the CLI, shown to the tenant on the usage page. */
export const PlanId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'A plan name is lower-case letters, digits, - and _ (at most 63)');

export type Plan = PlanLimits & { id: string };

const columns = {
  id: plans.id,
  ingestRatePerSecond: plans.ingestRatePerSecond,
  ingestBurst: plans.ingestBurst,
  eventsPerMonth: plans.eventsPerMonth,
  actionsPerDay: plans.actionsPerDay,
  workflows: plans.workflows,
  overQuotaActions: plans.overQuotaActions,
};

const asPlan = (row: Record<keyof typeof columns, unknown>): Plan => ({
  ...(row as Plan),
  eventsPerMonth: row.eventsPerMonth === null ? null : Number(row.eventsPerMonth),
});

export class PlanError extends Error {}

export async function listPlans(db: Database): Promise<Plan[]> {
  return (await db.select(columns).from(plans).orderBy(asc(plans.id))).map(asPlan);
}

/** Creates a plan; limits left out are none (hold is the default for actions over the quota). */
export async function createPlan(db: Database, id: string, limits: Partial<PlanLimits>): Promise<Plan> {
  const values = PlanLimits.parse({
    ingestRatePerSecond: null,
    ingestBurst: null,
    eventsPerMonth: null,
    actionsPerDay: null,
    workflows: null,
    overQuotaActions: 'hold',
    ...limits,
  });
  const [row] = await db
    .insert(plans)
    .values({ id: PlanId.parse(id), ...values })
    .onConflictDoNothing()
    .returning(columns);
  if (!row) throw new PlanError(`A plan named ${id} exists already: change it with plan:update`);
  return asPlan(row);
}

/** Changes the limits given (null: no limit); the others stay. */
export async function updatePlan(db: Database, id: string, limits: Partial<PlanLimits>): Promise<Plan> {
  const values = PlanLimits.partial().parse(limits);
  const [row] = await db
    .update(plans)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(plans.id, PlanId.parse(id)))
    .returning(columns);
  if (!row) throw new PlanError(`No plan named ${id}: create it with plan:create`);
  return asPlan(row);
}

/** Puts a tenant on a plan (null: on none, no quotas). */
export async function assignPlan(db: Database, tenantId: string, planId: string | null) {
  return withTenant(db, tenantId, async (tx) => {
    if (planId !== null) {
      const [plan] = await tx.select({ id: plans.id }).from(plans).where(eq(plans.id, planId));
      if (!plan) throw new PlanError(`No plan named ${planId}: create it with plan:create`);
    }
    const [row] = await tx
      .update(tenants)
      .set({ planId })
      .where(eq(tenants.id, tenantId))
      .returning({ tenantId: tenants.id, planId: tenants.planId });
    if (!row) throw new PlanError(`No tenant ${tenantId}`);
    return row;
  });
}
