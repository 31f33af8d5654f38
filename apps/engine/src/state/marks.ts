import { type TenantTx, userMarks } from '@tripwire/db';
import { and, count, eq, gt, lte } from 'drizzle-orm';

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

/** Marks in the window (end - windowMs, end]. */
export async function countMarks(tx: TenantTx, key: MarkKey, end: Date, windowMs: number): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(userMarks)
    .where(and(where(key), gt(userMarks.at, new Date(end.getTime() - windowMs)), lte(userMarks.at, end)));
  return row?.n ?? 0;
}
