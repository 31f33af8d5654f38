import { type TenantTx, userMarks } from '@tripwire/db';
import type { TimeWindow } from '@tripwire/rules';
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

const inWindow = (key: MarkKey, w: TimeWindow) =>
  and(where(key), gt(userMarks.at, new Date(w.from)), lte(userMarks.at, new Date(w.to)));

/** Marks in the window (from, to]. */
export async function countMarks(tx: TenantTx, key: MarkKey, w: TimeWindow): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(userMarks).where(inWindow(key, w));
  return row?.n ?? 0;
}

/**
 * countMarks, then a mark at the window's end when the count is below `max`, in one round trip
 * (the StatePort's reservePass). Returns the count before the mark and the oldest mark's time.
 */
export async function addMarkBelow(
  tx: TenantTx,
  key: MarkKey,
  w: TimeWindow,
  max: number,
  ref: string,
): Promise<{ passes: number; oldest: number | null }> {
  const { rows } = await tx.execute<{ n: number; oldest: string | null }>(sql`
    with counted as (select count(*)::int as n, min(at) as oldest from ${userMarks} where ${inWindow(key, w)}),
    added as (
      insert into ${userMarks} (tenant_id, user_id, workflow_id, node_id, at, ref)
      select ${key.tenantId}::uuid, ${key.userId}, ${key.workflowId}::uuid, ${key.nodeId}, ${new Date(w.to).toISOString()}::timestamptz, ${ref}
      from counted where n < ${max}
      on conflict do nothing
    )
    select n, oldest from counted`);
  const row = rows[0];
  return { passes: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest).getTime() : null };
}
