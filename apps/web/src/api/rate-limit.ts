import { HttpError } from './http-error.ts';

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Per-tenant token buckets for ingestion in this process's memory, counted in events. Live ingestion
 * goes through the shared bucket in Postgres (bucket-rate-limit.ts), which falls back to this one when
 * Postgres cannot be asked; back-fills (`pace`) are paced here, per process.
 */
export function createRateLimiter(
  now: () => number = () => performance.now(),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
) {
  const buckets = new Map<string, Bucket>();
  const refill = (key: string, ratePerSecond: number, burst: number): Bucket => {
    const t = now();
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, updatedAt: t };
      buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = t;
    return bucket;
  };
  return {
    /** Takes `cost` tokens or throws 429 with Retry-After (seconds until enough tokens exist). */
    take(tenantId: string, cost: number, ratePerSecond: number, burst: number): void {
      const bucket = refill(tenantId, ratePerSecond, burst);
      if (cost <= bucket.tokens) {
        bucket.tokens -= cost;
        return;
      }
      const waitSeconds =
        cost > burst ? Math.ceil(cost / ratePerSecond) : Math.ceil((cost - bucket.tokens) / ratePerSecond);
      throw new HttpError(429, 'rate_limited', `Over this workspace's ingestion rate of ${ratePerSecond} events/s`, {
        headers: { 'retry-after': String(Math.max(1, waitSeconds)) },
      });
    },

    /**
     * Takes `cost` tokens, waiting until the bucket has refilled enough instead of refusing: for
     * streams (imports), which are slowed to the rate rather than cut off. The bucket may go into
     * debt by a cost larger than its burst; the wait pays it back.
     */
    async pace(key: string, cost: number, ratePerSecond: number, burst: number): Promise<void> {
      const bucket = refill(key, ratePerSecond, burst);
      bucket.tokens -= cost;
      if (bucket.tokens < 0) await sleep((-bucket.tokens / ratePerSecond) * 1000);
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
