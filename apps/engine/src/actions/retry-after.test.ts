import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['3600', MAX_RETRY_AFTER_MS],
    ['86400', MAX_RETRY_AFTER_MS],
    ['Sat, 01 Mar 2025 12:01:30 GMT', 90_000],
    ['Saturday, 01-Mar-25 12:00:10 GMT', 10_000],
    ['Sat Mar  1 12:00:05 2025', 5_000],
    ['Sat, 01 Mar 2025 11:00:00 GMT', 0],
    ['Sun, 02 Mar 2025 12:00:00 GMT', MAX_RETRY_AFTER_MS],
  ])('reads %j as %d ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', 'Sat, 99 Foo 2025 12:00:00 GMT'])('ignores %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
