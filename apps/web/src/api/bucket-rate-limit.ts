import { type Database, ingestBuckets, withTenant } from '@tripwire/db';
import { eq, sql } from 'drizzle-orm';
import type { Logger } from '../logger.ts';
import { HttpError } from './http-error.ts';
import type { RateLimiter } from './rate-limit.ts';

/** Unspent leased tokens are given up after this long (they only ever under-admit). */
const LEASE_MS = 1000;
/** A lease is at least this share of the rate, so a busy tenant costs a round trip per slice, not per request. */
const LEASE_SHARE = 0.05;

/**
 * The ingestion rate limit with its bucket in Postgres (`ingest_buckets`), so every web process
 * draws on one bucket per tenant. A process leases a slice of tokens (5% of the rate, or what the
 * request needs) in one short transaction and spends it locally for up to a second: the database is
 * asked once per slice, not per request, and all processes together admit at most the rate plus
 * the slices in hand (each at most the burst). If Postgres cannot be asked, the process falls back
 * to its own in-memory bucket (`fallback`) rather than refuse every event.
 */
export function createSharedRateLimiter(db: Database, fallback: RateLimiter, logger: Logger) {
  const leases = new Map<string, { tokens: number; until: number }>();

  /** Takes up to `want` tokens (at least `need`, or none) from the tenant's bucket. */
  async function lease(tenantId: string, need: number, want: number, rate: number, burst: number) {
    return withTenant(db, tenantId, async (tx) => {
      await tx.insert(ingestBuckets).values({ tenantId, tokens: burst }).onConflictDoNothing();
      const [row] = await tx
        .select({
          tokens: ingestBuckets.tokens,
          elapsed: sql<number>`greatest(0, extract(epoch from (now() - ${ingestBuckets.updatedAt})))::float8`,
        })
        .from(ingestBuckets)
        .where(eq(ingestBuckets.tenantId, tenantId))
        .for('update');
      const available = Math.min(burst, (row?.tokens ?? burst) + (row?.elapsed ?? 0) * rate);
      const granted = available >= need ? Math.min(available, want) : 0;
      await tx
        .update(ingestBuckets)
        .set({ tokens: available - granted, updatedAt: sql`now()` })
        .where(eq(ingestBuckets.tenantId, tenantId));
      return { granted, available };
    });
  }

  return {
    /** Takes `cost` tokens or throws 429 with Retry-After (seconds until enough tokens exist) and the reason. */
    async take(tenantId: string, cost: number, ratePerSecond: number, burst: number): Promise<void> {
      const now = Date.now();
      const held = leases.get(tenantId);
      const local = held && held.until > now ? held.tokens : 0;
      if (held && local >= cost) {
        held.tokens -= cost;
        return;
      }
      const need = cost - local;
      const want = Math.min(burst, Math.max(need, Math.ceil(ratePerSecond * LEASE_SHARE)));
      let answer: { granted: number; available: number };
      try {
        answer = await lease(tenantId, need, want, ratePerSecond, burst);
      } catch (err) {
        logger.warn({ err }, 'shared ingestion rate limit unavailable; limiting in this process');
        fallback.take(tenantId, cost, ratePerSecond, burst);
        return;
      }
      if (answer.granted >= need) {
        leases.set(tenantId, { tokens: local + answer.granted - cost, until: now + LEASE_MS });
        return;
      }
      const waitSeconds =
        cost > burst ? Math.ceil(cost / ratePerSecond) : Math.ceil((need - answer.available) / ratePerSecond);
      throw new HttpError(
        429,
        'rate_limited',
        `Over this workspace's ingestion rate of ${ratePerSecond} events/s (shared by all its keys)`,
        { headers: { 'retry-after': String(Math.max(1, waitSeconds)) } },
      );
    },
    /** Back-fills are paced per process (see RateLimiter.pace): they wait, they are never refused. */
    pace: fallback.pace,
  };
}
export type SharedRateLimiter = ReturnType<typeof createSharedRateLimiter>;
