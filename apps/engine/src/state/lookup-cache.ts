import { lookupCache, type TenantTx } from '@tripwire/db';
import { and, eq, gt, sql } from 'drizzle-orm';

export interface CacheKey {
  tenantId: string;
  userId: string;
  requestHash: string;
}

const where = (k: CacheKey) =>
  and(
    eq(lookupCache.tenantId, k.tenantId),
    eq(lookupCache.userId, k.userId),
    eq(lookupCache.requestHash, k.requestHash),
  );

/** The answer stored for this user and request, if it was fetched after `since`. */
export async function cachedAnswer(
  tx: TenantTx,
  key: CacheKey,
  since: Date,
): Promise<{ status: number; value: unknown } | undefined> {
  const [row] = await tx
    .select({ status: lookupCache.status, value: lookupCache.value })
    .from(lookupCache)
    .where(and(where(key), gt(lookupCache.fetchedAt, since)));
  return row;
}

export async function storeAnswer(tx: TenantTx, key: CacheKey, answer: { status: number; value: unknown }, at: Date) {
  await tx
    .insert(lookupCache)
    .values({ ...key, status: answer.status, value: sql`${JSON.stringify(answer.value)}::jsonb`, fetchedAt: at })
    .onConflictDoUpdate({
      target: [lookupCache.tenantId, lookupCache.userId, lookupCache.requestHash],
      set: { status: answer.status, value: sql`excluded.value`, fetchedAt: at },
    });
}
