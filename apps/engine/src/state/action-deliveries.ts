import { actionDeliveries, type Database, withTenant } from '@tripwire/db';
import { sql } from 'drizzle-orm';

/** What the receiver answered is kept up to here (the trace shows an excerpt). */
export const MAX_RESPONSE_CHARS = 1024;

export interface DeliveryRecord {
  tenantId: string;
  actionId: string;
  runId: string;
  workflowId: string;
  nodeId: string;
  /** skipped: not sent, the user withdrew the consent it needs while it was queued. */
  outcome: 'delivered' | 'retrying' | 'rescheduled' | 'failed' | 'skipped';
  httpStatus?: number | undefined;
  latencyMs?: number | undefined;
  response?: string | undefined;
  error?: string | undefined;
}

/**
 * Each attempt of each action, written in bulk after a fetched batch (one statement per tenant),
 * numbered per action: the trace's delivery history and the run's delivery status.
 */
export async function recordDeliveries(db: Database, records: DeliveryRecord[]) {
  for (const [tenantId, ofTenant] of Map.groupBy(records, (r) => r.tenantId)) {
    const values = sql.join(
      ofTenant.map(
        (r) =>
          sql`(${r.actionId}::text, ${r.runId}::uuid, ${r.workflowId}::uuid, ${r.nodeId}::text, ${r.outcome}::text,
            ${r.httpStatus ?? null}::int, ${r.latencyMs === undefined ? null : Math.round(r.latencyMs)}::int,
            ${r.response?.slice(0, MAX_RESPONSE_CHARS) ?? null}::text, ${r.error ?? null}::text)`,
      ),
      sql`, `,
    );
    await withTenant(db, tenantId, (tx) =>
      tx.execute(sql`
        insert into ${actionDeliveries} (tenant_id, action_id, attempt, run_id, workflow_id, node_id, outcome,
          http_status, latency_ms, response, error)
        select ${tenantId}::uuid, v.action_id,
          coalesce((select max(d.attempt) from ${actionDeliveries} d
            where d.tenant_id = ${tenantId}::uuid and d.action_id = v.action_id), 0) + 1,
          v.run_id, v.workflow_id, v.node_id, v.outcome, v.http_status, v.latency_ms, v.response, v.error
        from (values ${values}) as v(action_id, run_id, workflow_id, node_id, outcome, http_status, latency_ms,
          response, error)`),
    );
  }
}
