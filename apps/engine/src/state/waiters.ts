import { type TenantTx, waiters } from '@tripwire/db';
import { and, asc, eq, gt } from 'drizzle-orm';

export interface Waiter {
  runId: string;
  nodeId: string;
  timeoutJobId: string | null;
  /** The output an awaited event resumes the run on. */
  resumeOutput: string | null;
}

/** Registers the waiter; false when this run already waits at this node (two branches joined). */
export async function addWaiter(
  tx: TenantTx,
  w: {
    tenantId: string;
    runId: string;
    nodeId: string;
    userId: string;
    eventName: string;
    expiresAt: Date;
    timeoutJobId: string | null;
    resumeOutput: string;
  },
) {
  const inserted = await tx.insert(waiters).values(w).onConflictDoNothing().returning({ runId: waiters.runId });
  return inserted.length > 0;
}

/** Live waiters of this user for this event, oldest first, locked (others skip them, not wait). */
export function waitersFor(
  tx: TenantTx,
  tenantId: string,
  userId: string,
  eventName: string,
  now: Date,
): Promise<Waiter[]> {
  return tx
    .select({
      runId: waiters.runId,
      nodeId: waiters.nodeId,
      timeoutJobId: waiters.timeoutJobId,
      resumeOutput: waiters.resumeOutput,
    })
    .from(waiters)
    .where(
      and(
        eq(waiters.tenantId, tenantId),
        eq(waiters.userId, userId),
        eq(waiters.eventName, eventName),
        gt(waiters.expiresAt, now),
      ),
    )
    .orderBy(asc(waiters.createdAt))
    .for('update', { skipLocked: true });
}

/** Removes the waiter; false when someone else (the event or the timeout) got there first. */
export async function takeWaiter(tx: TenantTx, tenantId: string, runId: string, nodeId: string): Promise<boolean> {
  const rows = await tx
    .delete(waiters)
    .where(and(eq(waiters.tenantId, tenantId), eq(waiters.runId, runId), eq(waiters.nodeId, nodeId)))
    .returning({ runId: waiters.runId });
  return rows.length > 0;
}
