import { describe, expect, it } from 'vitest';
import { durationMs, MAX_DURATION_MS, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['PT10M', 600_000],
    ['PT30S', 30_000],
    ['PT1.5S', 1_500],
    ['PT1H', 3_600_000],
    ['P1D', 86_400_000],
    ['P2W', 14 * 86_400_000],
    ['P1DT2H', 26 * 3_600_000],
    ['P90D', MAX_DURATION_MS],
    ['PT2160H', MAX_DURATION_MS],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['', 'P', 'PT', '10M', 'PT10', 'P1H', 'pt10m', 'P-1D', 'PT10M ', 'P1.5D'])('rejects %j', (text) => {
    expect(parseDuration(text)).toMatchObject({ ok: false, code: 'duration.invalid' });
  });

  it.each(['P1M', 'P1Y', 'P1Y2M'])('rejects ambiguous %s', (text) => {
    expect(parseDuration(text)).toMatchObject({ ok: false, code: 'duration.ambiguous' });
  });

  it.each(['P91D', 'P13W', 'PT0S', 'P0D', 'PT2161H'])('rejects out-of-range %s', (text) => {
    expect(parseDuration(text)).toMatchObject({ ok: false, code: 'duration.out_of_range' });
  });

  it('rejects non-strings without throwing', () => {
    for (const v of [null, undefined, 10, {}, []]) expect(parseDuration(v).ok).toBe(false);
  });

  it('durationMs throws on invalid input', () => {
    expect(durationMs('PT1M')).toBe(60_000);
    expect(() => durationMs('P1M')).toThrow(/weeks or days/);
  });
});
