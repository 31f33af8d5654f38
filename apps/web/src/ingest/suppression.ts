import { createHash } from 'node:crypto';
import { type Database, userSuppressions, withTenant } from '@tripwire/db';
import { and, eq, inArray } from 'drizzle-orm';

/** The suppression key of a user id: the same as Postgres' tripwire_user_hash(tenant, user). */
export function userHash(tenantId: string, userId: string): string {
  return createHash('sha256').update(`${tenantId}:${userId}`, 'utf8').digest('hex');
}

/**
 * Which of a request's users were deleted and are suppressed. Most workspaces suppress nobody, so
 * whether a workspace has any suppression is cached (`ttlMs`) and only then are the request's users
 * looked up. A deletion through this process takes effect at once; through another web process
 * within `ttlMs` — and the engine ignores a suppressed user's events whatever ingestion let through.
 */
export function createSuppressionCheck(db: Database, ttlMs = 10_000) {
  const hasAny = new Map<string, { value: Promise<boolean>; until: number }>();
  const anyFor = (tenantId: string) => {
    const hit = hasAny.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = withTenant(db, tenantId, async (tx) => {
      const rows = await tx
        .select({ h: userSuppressions.userHash })
        .from(userSuppressions)
        .where(eq(userSuppressions.tenantId, tenantId))
        .limit(1);
      return rows.length > 0;
    });
    const entry = { value, until: Date.now() + ttlMs };
    hasAny.set(tenantId, entry);
    value.catch(() => hasAny.get(tenantId) === entry && hasAny.delete(tenantId));
    return value;
  };
  return {
    /** The user ids (of `userIds`) whose events must be dropped. */
    async suppressed(tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
      if (userIds.length === 0 || !(await anyFor(tenantId))) return new Set();
      const byHash = new Map(userIds.map((u) => [userHash(tenantId, u), u]));
      const rows = await withTenant(db, tenantId, (tx) =>
        tx
          .select({ h: userSuppressions.userHash })
          .from(userSuppressions)
          .where(and(eq(userSuppressions.tenantId, tenantId), inArray(userSuppressions.userHash, [...byHash.keys()]))),
      );
      return new Set(rows.map((r) => byHash.get(r.h) as string));
    },
    /** A suppression was added or lifted here: ask again next time. */
    evict(tenantId: string) {
      hasAny.delete(tenantId);
    },
  };
}
export type SuppressionCheck = ReturnType<typeof createSuppressionCheck>;
