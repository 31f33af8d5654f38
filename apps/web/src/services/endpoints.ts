import { endpointCircuits, type TenantTx } from '@tripwire/db';
import { desc, eq, sql } from 'drizzle-orm';

export type EndpointState = 'paused' | 'trying' | 'delivering';

export interface EndpointStatus {
  /** The URL origin deliveries go to. */
  endpoint: string;
  /** paused: the circuit is open and nothing is sent until `resumeAt`; trying: the pause is over and
   * the next delivery decides; delivering: the circuit closed again. */
  state: EndpointState;
  failures: number;
  openedAt: Date | null;
  resumeAt: Date | null;
  lastError: string | null;
  /** Deliveries waiting for this endpoint (queued, retrying or in flight): kept, never dropped. */
  waiting: number;
}

/**
 * The workspace's endpoints whose circuit has opened at some point (see the engine's
 * state/circuits.ts), with the deliveries waiting for each, read from pg-boss's job table by their
 * group (`tenantId|origin`). Tenant-scoped: the circuits under RLS, the jobs by their group.
 */
export async function listEndpoints(tx: TenantTx, jobsSchema: string, tenantId: string): Promise<EndpointStatus[]> {
  const rows = await tx
    .select()
    .from(endpointCircuits)
    .where(eq(endpointCircuits.tenantId, tenantId))
    .orderBy(desc(endpointCircuits.updatedAt))
    .limit(200);
  if (rows.length === 0) return [];
  const groups = rows.map((r) => `${tenantId}|${r.endpoint}`);
  const { rows: counts } = await tx.execute<{ group_id: string; n: number }>(sql`
    select group_id, count(*)::int as n from ${sql.identifier(jobsSchema)}.job
    where group_id = any(${`{${groups.map((g) => `"${g.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`}::text[])
      and state in ('created', 'retry', 'active')
    group by group_id`);
  const waiting = new Map(counts.map((c) => [c.group_id, c.n]));
  const now = Date.now();
  return rows.map((r) => ({
    endpoint: r.endpoint,
    state: r.state !== 'open' ? 'delivering' : r.resumeAt && r.resumeAt.getTime() > now ? 'paused' : 'trying',
    failures: r.failures,
    openedAt: r.openedAt,
    resumeAt: r.state === 'open' ? r.resumeAt : null,
    lastError: r.lastError,
    waiting: waiting.get(`${tenantId}|${r.endpoint}`) ?? 0,
  }));
}
