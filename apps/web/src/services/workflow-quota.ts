import { plans, type TenantTx, tenants, workflows } from '@tripwire/db';
import { and, count, eq, isNotNull, ne, sql } from 'drizzle-orm';

/** A quota of the tenant's plan refuses the change (HTTP 403 `quota_exceeded`, a plain message in the app). */
export class QuotaExceeded extends Error {
  readonly quota: 'workflows';
  readonly limit: number;
  constructor(quota: 'workflows', limit: number, message: string) {
    super(message);
    this.quota = quota;
    this.limit = limit;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The plan's workflow quota, with the tenant's quota lock held to the end of the transaction: two
 * creates (or publishes) at once in different web processes are counted one after the other.
 */
async function workflowQuota(tx: TenantTx, tenantId: string): Promise<number | null> {
  const [row] = await tx
    .select({ workflows: plans.workflows })
    .from(tenants)
    .innerJoin(plans, eq(plans.id, tenants.planId))
    .where(eq(tenants.id, tenantId));
  const max = row?.workflows ?? null;
  if (max !== null)
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`workflows:${tenantId}`}, 0))`);
  return max;
}

/** Before a workflow is created: the workspace has fewer than its plan allows. */
export async function assertRoomForWorkflow(tx: TenantTx, tenantId: string): Promise<void> {
  const max = await workflowQuota(tx, tenantId);
  if (max === null) return;
  const [row] = await tx.select({ n: count() }).from(workflows).where(eq(workflows.tenantId, tenantId));
  const n = row?.n ?? 0;
  if (n >= max)
    throw new QuotaExceeded(
      'workflows',
      max,
      `This workspace has ${plural(n, 'workflow')} and its plan allows ${max}: delete one before creating another, or ask your operator for a larger plan`,
    );
}

/**
 * Before a workflow goes live (publish, rollback): a live one may always get a new version, another
 * only while fewer than the plan allows are live (after a smaller plan, the live ones keep running).
 */
export async function assertRoomToGoLive(tx: TenantTx, tenantId: string, workflowId: string): Promise<void> {
  const max = await workflowQuota(tx, tenantId);
  if (max === null) return;
  const [self] = await tx
    .select({ live: isNotNull(workflows.activeVersion) })
    .from(workflows)
    .where(and(eq(workflows.tenantId, tenantId), eq(workflows.id, workflowId)));
  if (!self || self.live) return;
  const [row] = await tx
    .select({ n: count() })
    .from(workflows)
    .where(and(eq(workflows.tenantId, tenantId), ne(workflows.id, workflowId), isNotNull(workflows.activeVersion)));
  const live = row?.n ?? 0;
  if (live >= max)
    throw new QuotaExceeded(
      'workflows',
      max,
      `This workspace's plan allows ${plural(max, 'live workflow')} and ${live} ${live === 1 ? 'is' : 'are'} live: pause one before publishing this one, or ask your operator for a larger plan`,
    );
}
