import { describe, expect, it } from 'vitest';
import { EngineError, isExpectedError, PermanentError, RetriableError } from './errors.ts';

describe('engine errors', () => {
  it('carry a code, a message and whether a retry can help', () => {
    const retriable = new RetriableError('webhook.timeout', 'no answer', { retryAfterMs: 1500.4, status: 503 });
    expect(retriable).toMatchObject({ name: 'RetriableError', code: 'webhook.timeout', retriable: true, status: 503 });
    expect(retriable.retryAfterMs).toBe(1500);
    expect(retriable.message).toBe('no answer');

    const permanent = new PermanentError('webhook.client_error', 'answered 404', { status: 404, details: { a: 1 } });
    expect(permanent).toMatchObject({ name: 'PermanentError', retriable: false, status: 404, details: { a: 1 } });
    expect(permanent).toBeInstanceOf(EngineError);
    expect(permanent).toBeInstanceOf(Error);
  });

  it('drop a meaningless Retry-After instead of passing it to the queue', () => {
    expect(new RetriableError('x.y', 'm', { retryAfterMs: Number.NaN }).retryAfterMs).toBeUndefined();
    expect(new RetriableError('x.y', 'm', { retryAfterMs: -10 }).retryAfterMs).toBe(0);
    expect(new RetriableError('x.y', 'm').retryAfterMs).toBeUndefined();
  });

  it('tell expected failures apart from crashes', () => {
    expect(isExpectedError(new RetriableError('a.b', 'm'))).toBe(true);
    expect(isExpectedError(new PermanentError('a.b', 'm'))).toBe(true);
    expect(isExpectedError(new TypeError('undefined is not a function'))).toBe(false);
    expect(isExpectedError('a string')).toBe(false);
  });
});
