import { profiles, type TenantTx } from '@tripwire/db';
import { and, eq } from 'drizzle-orm';

/**
 * Profile traits for `user.*`, read only for plans that use them and cached for a short TTL.
 * identify events for a user arrive on the same partition as the user's other events, so the
 * engine that evaluates a user also sees (and invalidates on) that user's identify calls.
 */
export function createProfileCache({ ttlMs = 60_000, maxEntries = 100_000 } = {}) {
  const cache = new Map<string, { traits: Record<string, unknown>; expires: number }>();

  /** The cached traits, without a query; undefined when they would have to be loaded. */
  function peek(tenantId: string, userId: string): Record<string, unknown> | undefined {
    const hit = cache.get(`${tenantId}:${userId}`);
    return hit && hit.expires > Date.now() ? hit.traits : undefined;
  }

  return {
    peek,
    async get(tx: TenantTx, tenantId: string, userId: string): Promise<Record<string, unknown>> {
      const hit = peek(tenantId, userId);
      if (hit) return hit;
      const [row] = await tx
        .select({ traits: profiles.traits })
        .from(profiles)
        .where(and(eq(profiles.tenantId, tenantId), eq(profiles.userId, userId)));
      const traits = row?.traits ?? {};
      if (cache.size >= maxEntries) cache.clear();
      cache.set(`${tenantId}:${userId}`, { traits, expires: Date.now() + ttlMs });
      return traits;
    },
    invalidate(tenantId: string, userId: string) {
      cache.delete(`${tenantId}:${userId}`);
    },
    /**
     * Forgets everything: after a rebalance this engine may get back users whose identify calls
     * another engine saw (and invalidated there) in the meantime.
     */
    clear() {
      cache.clear();
    },
  };
}
export type ProfileCache = ReturnType<typeof createProfileCache>;
