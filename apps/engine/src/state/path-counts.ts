import { pathCounts, TENANT_SETTING, type TenantTx } from '@tripwire/db';
import { countPath, type PathEntry } from '@tripwire/rules';
import { sql } from 'drizzle-orm';

const BUCKET_MS = 5 * 60_000;

interface Key {
  tenantId: string;
  workflowId: string;
  version: number;
  bucket: number;
  nodeId: string;
  output: string;
}

/**
 * The canvas counters a unit of work adds to, summed in memory and written with one statement per
 * tenant when the unit finishes (in its transaction, so they count exactly the runs it records).
 * Rows are written in key order, so two transactions on the same shard wait for each other, never
 * deadlock.
 */
export function createCountBuffer(shard: number) {
  let pending = new Map<string, Key & { count: number }>();
  return {
    add(k: { tenantId: string; workflowId: string; version: number }, path: readonly PathEntry[], resumed: boolean) {
      for (const { nodeId, output, count } of countPath(path, resumed)) {
        const at = Date.parse(path.find((p) => p.nodeId === nodeId)?.at ?? '') || Date.now();
        const key: Key = { ...k, bucket: at - (at % BUCKET_MS), nodeId, output };
        const id = JSON.stringify([key.tenantId, key.workflowId, key.version, key.bucket, nodeId, output]);
        const hit = pending.get(id);
        if (hit) hit.count += count;
        else pending.set(id, { ...key, count });
      }
    },
    mark: () => new Map(pending),
    discard(mark: Map<string, Key & { count: number }>) {
      pending = new Map([...mark].map(([id, row]) => [id, { ...row }]));
    },
    /** Writes the counts, acting as each tenant in turn; returns the tenant it acts as last. */
    async flush(tx: TenantTx): Promise<string | undefined> {
      if (pending.size === 0) return undefined;
      const rows = [...pending.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
      pending = new Map();
      let last: string | undefined;
      for (const [tenantId, ofTenant] of Map.groupBy(rows, (r) => r.tenantId)) {
        // Six array parameters per tenant, whatever the number of rows (unnest pairs them up again).
        const column = <T>(pick: (r: Key & { count: number }) => T) => sql.param(ofTenant.map(pick));
        await tx.execute(sql`
          with tenant as materialized (select set_config(${TENANT_SETTING}, ${tenantId}, true))
          insert into ${pathCounts} (tenant_id, workflow_id, version, bucket, node_id, output, shard, count)
          select ${tenantId}::uuid, v.workflow_id, v.version, v.bucket, v.node_id, v.output, ${shard}::smallint, v.count
          from tenant, unnest(
            ${column((r) => r.workflowId)}::uuid[], ${column((r) => r.version)}::int[],
            ${column((r) => new Date(r.bucket).toISOString())}::timestamptz[], ${column((r) => r.nodeId)}::text[],
            ${column((r) => r.output)}::text[], ${column((r) => r.count)}::bigint[]
          ) as v(workflow_id, version, bucket, node_id, output, count)
          on conflict (tenant_id, workflow_id, version, bucket, node_id, output, shard)
          do update set count = ${pathCounts.count} + excluded.count`);
        last = tenantId;
      }
      return last;
    },
  };
}

export type CountBuffer = ReturnType<typeof createCountBuffer>;
