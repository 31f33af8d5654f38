/**
 * Requests per second per endpoint, in this process: a token bucket per group that lets a burst of
 * `rate` through and then one request every 1/rate s. `take` resolves when the request may go.
 * Waiting is bounded by the concurrency limit: at most K of a group's jobs are active, so the
 * longest wait is about K / rate seconds.
 */
export function createRateLimiter(rate: number, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  function wait(group: string): number {
    const t = now();
    const b = buckets.get(group) ?? { tokens: rate, at: t };
    b.tokens = Math.min(rate, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    buckets.set(group, b);
    // A token is taken now even when it is not there yet: it is the caller's after the wait, and
    // the next caller queues behind it.
    b.tokens -= 1;
    return b.tokens >= 0 ? 0 : Math.ceil((-b.tokens / rate) * 1000);
  }
  let swept = now();
  return {
    async take(group: string, signal?: AbortSignal): Promise<void> {
      const ms = wait(group);
      if (now() - swept > 60_000) {
        // Full buckets are the same as none: forget them so the map only holds busy endpoints.
        swept = now();
        for (const [g, b] of buckets) if (b.tokens + ((swept - b.at) / 1000) * rate >= rate) buckets.delete(g);
      }
      if (ms > 0)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
    },
  };
}
