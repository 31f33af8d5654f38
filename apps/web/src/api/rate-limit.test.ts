import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.ts';
import { createRateLimiter } from './rate-limit.ts';

describe('ingestion rate limiter', () => {
  it('allows a burst, refills at the rate, and answers 429 with Retry-After when empty', () => {
    let clock = 0;
    const limiter = createRateLimiter(() => clock);
    limiter.take('t1', 10, 5, 10);
    let error: unknown;
    try {
      limiter.take('t1', 3, 5, 10);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(429);
    expect((error as HttpError).headers['retry-after']).toBe('1');
    clock += 600; // 3 tokens back at 5/s
    expect(() => limiter.take('t1', 3, 5, 10)).not.toThrow();
  });

  it('keeps tenants apart', () => {
    const limiter = createRateLimiter(() => 0);
    limiter.take('a', 10, 1, 10);
    expect(() => limiter.take('a', 1, 1, 10)).toThrow(HttpError);
    expect(() => limiter.take('b', 10, 1, 10)).not.toThrow();
  });

  it('paces a stream: it waits for tokens instead of refusing, and pays back a cost over the burst', async () => {
    let clock = 0;
    const waits: number[] = [];
    const limiter = createRateLimiter(
      () => clock,
      async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    );
    await limiter.pace('t:import', 10, 5, 10); // the burst
    await limiter.pace('t:import', 5, 5, 10); // 5 more at 5/s: one second
    await limiter.pace('t:import', 20, 5, 10); // twice the burst: four seconds
    expect(waits).toEqual([1000, 4000]);
    // Live ingestion has its own bucket.
    expect(() => limiter.take('t', 10, 5, 10)).not.toThrow();
  });
});
