import { HttpError } from './http-error.ts';

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Per-tenant token buckets for ingestion, counted in events. One bucket per tenant per web process:
 * with N processes behind a load balancer a tenant gets up to N times its rate, the usual trade-off
 * for keeping a shared store off the hot path.
 */
export function createRateLimiter(now: () => number = () => performance.now()) {
  const buckets = new Map<string, Bucket>();
  return {
    /** Takes `cost` tokens or throws 429 with Retry-After (seconds until enough tokens exist). */
    take(tenantId: string, cost: number, ratePerSecond: number, burst: number): void {
      const t = now();
      let bucket = buckets.get(tenantId);
      if (!bucket) {
        bucket = { tokens: burst, updatedAt: t };
        buckets.set(tenantId, bucket);
      }
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.updatedAt) / 1000) * ratePerSecond);
      bucket.updatedAt = t;
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
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
