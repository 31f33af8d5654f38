import { ingestRejections, runs, type TenantTx, workflows } from '@tripwire/db';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';

/** The runs that events on the debugger's screen started (runs record their trigger event). */
export async function runsTriggeredBy(tx: TenantTx, tenantId: string, messageIds: string[]) {
  if (messageIds.length === 0) return [];
  const messageId = sql<string>`${runs.triggerEvent}->>'messageId'`;
  return tx
    .select({
      messageId,
      runId: runs.id,
      workflowId: runs.workflowId,
      workflowName: workflows.name,
      version: runs.version,
      status: runs.status,
    })
    .from(runs)
    .innerJoin(workflows, and(eq(workflows.tenantId, runs.tenantId), eq(workflows.id, runs.workflowId)))
    .where(and(eq(runs.tenantId, tenantId), inArray(messageId, messageIds)))
    .limit(500);
}

/** Refused ingestion attempts of the last hour, newest first. */
export function recentRejections(tx: TenantTx, tenantId: string, limit = 100) {
  return tx
    .select({
      id: ingestRejections.id,
      firstAt: ingestRejections.firstAt,
      lastAt: ingestRejections.lastAt,
      status: ingestRejections.status,
      code: ingestRejections.code,
      reason: ingestRejections.reason,
      endpoint: ingestRejections.endpoint,
      keyPrefix: ingestRejections.keyPrefix,
      count: ingestRejections.count,
    })
    .from(ingestRejections)
    .where(and(eq(ingestRejections.tenantId, tenantId), gt(ingestRejections.lastAt, sql`now() - interval '1 hour'`)))
    .orderBy(desc(ingestRejections.lastAt))
    .limit(limit);
}
