import { type TenantTx, userMarks } from '@tripwire/db';
import { and, count, eq, gt, lte, sql } from 'drizzle-orm';

export interface MarkKey {
  tenantId: string;
  userId: string;
  workflowId: string;
  nodeId: string;
}

const where = (k: MarkKey) =>
  and(
    eq(userMarks.tenantId, k.tenantId),
    eq(userMarks.userId, k.userId),
    eq(userMarks.workflowId, k.workflowId),
    eq(userMarks.nodeId, k.nodeId),
  );

export async function addMark(tx: TenantTx, key: MarkKey, at: Date, ref: string): Promise<void> {
  await tx
    .insert(userMarks)
    .values({ ...key, at, ref })
    .onConflictDoNothing();
}

const inWindow = (key: MarkKey, end: Date, windowMs: number) =>
  and(where(key), gt(userMarks.at, new Date(end.getTime() - windowMs)), lte(userMarks.at, end));

/** Marks in the window (end - windowMs, end]. */
export async function countMarks(tx: TenantTx, key: MarkKey, end: Date, windowMs: number): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(userMarks)
    .where(inWindow(key, end, windowMs));
  return row?.n ?? 0;
}

/**
 * countMarks, then addMark at `at` when the count is below `max`, in one round trip. Returns the
 * count before the mark.
 */
export async function addMarkBelow(
  tx: TenantTx,
  key: MarkKey,
  at: Date,
  windowMs: number,
  max: number,
  ref: string,
): Promise<number> {
  const { rows } = await tx.execute<{ n: number }>(sql`
    with counted as (select count(*)::int as n from ${userMarks} where ${inWindow(key, at, windowMs)}),
    added as (
      insert into ${userMarks} (tenant_id, user_id, workflow_id, node_id, at, ref)
      select ${key.tenantId}::uuid, ${key.userId}, ${key.workflowId}::uuid, ${key.nodeId}, ${at.toISOString()}::timestamptz, ${ref}
      from counted where n < ${max}
      on conflict do nothing
    )
    select n from counted`);
  return Number(rows[0]?.n ?? 0);
}
