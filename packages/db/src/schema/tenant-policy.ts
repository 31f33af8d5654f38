import { sql } from 'drizzle-orm';
import { pgPolicy } from 'drizzle-orm/pg-core';

/**
 * The per-transaction setting that names the tenant a connection acts for.
 * `withTenant` sets it with set_config(..., true) so it dies with the transaction.
 */
export const TENANT_SETTING = 'app.tenant_id';

// nullif: once a transaction-local setting has been used, Postgres resets it to '' (not NULL)
// for the rest of the session, and ''::uuid would raise instead of simply matching nothing.
export const currentTenantSql = sql.raw(`nullif(current_setting('${TENANT_SETTING}', true), '')::uuid`);

/** Row-level security for a table whose tenant key column is `column` (default tenant_id). */
export function tenantIsolation(column = 'tenant_id') {
  const match = sql.raw(`${column} = nullif(current_setting('${TENANT_SETTING}', true), '')::uuid`);
  return pgPolicy('tenant_isolation', { as: 'permissive', for: 'all', using: match, withCheck: match });
}
