import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';
import { TENANT_SETTING } from './schema/tenant-policy.ts';

export type TenantTx = Parameters<Parameters<Database['transaction']>[0]>[0];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in a transaction that acts as `tenantId`: row-level security then shows and
 * accepts only that tenant's rows, even if a query forgets its WHERE clause.
 * The setting is transaction-local, so a pooled connection never carries it to the next user.
 */
export async function withTenant<T>(db: Database, tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new TypeError('withTenant: tenantId must be a UUID');
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config(${TENANT_SETTING}, ${tenantId}, true)`);
    return fn(tx);
  });
}

/** Switches the tenant inside an open transaction (the engine commits one Kafka batch that spans tenants). */
export async function actAsTenant(tx: TenantTx, tenantId: string): Promise<void> {
  if (!UUID.test(tenantId)) throw new TypeError('actAsTenant: tenantId must be a UUID');
  await tx.execute(sql`select set_config(${TENANT_SETTING}, ${tenantId}, true)`);
}
