import { processedEvents, TENANT_SETTING, type TenantTx } from '@tripwire/db';
import { sql } from 'drizzle-orm';

/**
 * Claims a key (an event's messageId, or a job's key) in the current transaction. False when it
 * was already claimed by a committed transaction: the work was done and must not be done again.
 */
export async function claim(tx: TenantTx, tenantId: string, key: string): Promise<boolean> {
  const rows = await tx
    .insert(processedEvents)
    .values({ tenantId, messageId: key })
    .onConflictDoNothing()
    .returning({ key: processedEvents.messageId });
  return rows.length > 0;
}

/**
 * claim, acting as `tenantId` from this statement on (actAsTenant + claim in one round trip). The
 * CTE runs before any row is produced, so row-level security checks the row against the new tenant.
 */
export async function claimAs(tx: TenantTx, tenantId: string, key: string): Promise<boolean> {
  const { rows } = await tx.execute(sql`
    with tenant as materialized (select set_config(${TENANT_SETTING}, ${tenantId}, true))
    insert into ${processedEvents} (tenant_id, message_id) select ${tenantId}::uuid, ${key} from tenant
    on conflict do nothing returning message_id`);
  return rows.length > 0;
}

/** claimAs for many keys of one tenant: the keys that were not claimed before. */
export async function claimAllAs(tx: TenantTx, tenantId: string, keys: string[]): Promise<Set<string>> {
  const list = sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  );
  const { rows } = await tx.execute<{ message_id: string }>(sql`
    with tenant as materialized (select set_config(${TENANT_SETTING}, ${tenantId}, true))
    insert into ${processedEvents} (tenant_id, message_id) select ${tenantId}::uuid, k from tenant, unnest(array[${list}]::text[]) as k
    on conflict do nothing returning message_id`);
  return new Set(rows.map((r) => r.message_id));
}
