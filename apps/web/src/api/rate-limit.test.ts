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
});
