import { type Database, signingSecrets, withTenant } from '@tripwire/db';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';

/**
 * Active signing secrets per tenant, cached briefly (rotation takes effect within a minute). The
 * lookup itself is cached, so the deliveries in flight for a tenant (a batch is often one tenant's)
 * share one query instead of each missing the cache at once.
 */
export function createSecretLookup(db: Database, ttlMs = 60_000) {
  const cache = new Map<string, { secrets: Promise<string[]>; until: number }>();
  const load = async (tenantId: string) => {
    const rows = await withTenant(db, tenantId, (tx) =>
      tx
        .select({ secret: signingSecrets.secret })
        .from(signingSecrets)
        .where(
          and(
            eq(signingSecrets.tenantId, tenantId),
            or(isNull(signingSecrets.expiresAt), gt(signingSecrets.expiresAt, sql`now()`)),
          ),
        )
        .orderBy(signingSecrets.createdAt),
    );
    return rows.map((r) => r.secret);
  };
  return (tenantId: string): Promise<string[]> => {
    const hit = cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.secrets;
    const entry = { secrets: load(tenantId), until: Date.now() + ttlMs };
    cache.set(tenantId, entry);
    // A failed lookup is not remembered: the next delivery asks again.
    entry.secrets.catch(() => {
      if (cache.get(tenantId) === entry) cache.delete(tenantId);
    });
    return entry.secrets;
  };
}
