import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { DurationError, fromHumanDuration, HUMAN_DURATION_UNITS, toHumanDuration } from './human-duration.ts';

describe('toHumanDuration', () => {
  it.each([
    ['PT30S', 30, 'seconds'],
    ['PT90S', 90, 'seconds'],
    ['PT120S', 2, 'minutes'],
    ['PT10M', 10, 'minutes'],
    ['PT90M', 90, 'minutes'],
    ['PT2H', 2, 'hours'],
    ['P1DT2H', 26, 'hours'],
    ['P1D', 1, 'days'],
    ['P7D', 1, 'weeks'],
    ['P2W', 2, 'weeks'],
    ['P90D', 90, 'days'],
    ['PT1.5S', 1.5, 'seconds'],
  ])('%s -> %d %s', (iso, value, unit) => {
    expect(toHumanDuration(iso)).toEqual({ value, unit });
  });

  it.each([
    ['P91D', 'duration.out_of_range'],
    ['PT0S', 'duration.out_of_range'],
    ['P1M', 'duration.ambiguous'],
    ['10 minutes', 'duration.invalid'],
  ])('refuses %s with %s', (iso, code) => {
    expect(() => toHumanDuration(iso)).toThrow(expect.objectContaining({ name: 'DurationError', code }));
  });
});

describe('fromHumanDuration', () => {
  it.each([
    [10, 'minutes', 'PT10M'],
    [1, 'days', 'P1D'],
    [2, 'weeks', 'P2W'],
    [36, 'hours', 'PT36H'],
    [45, 'seconds', 'PT45S'],
    [0.25, 'seconds', 'PT0.25S'],
    [1.005, 'seconds', 'PT1.005S'],
  ] as const)('%d %s -> %s', (value, unit, iso) => {
    expect(fromHumanDuration({ value, unit })).toBe(iso);
  });

  it.each([
    [{ value: 91, unit: 'days' }, 'duration.out_of_range'],
    [{ value: 13, unit: 'weeks' }, 'duration.out_of_range'],
    [{ value: 0, unit: 'hours' }, 'duration.out_of_range'],
    [{ value: -1, unit: 'hours' }, 'duration.invalid'],
    [{ value: 1.5, unit: 'hours' }, 'duration.invalid'],
    [{ value: 0.0001, unit: 'seconds' }, 'duration.invalid'],
    [{ value: Number.NaN, unit: 'days' }, 'duration.invalid'],
    [{ value: 1e21, unit: 'days' }, 'duration.invalid'],
    [{ value: 1, unit: 'months' }, 'duration.invalid'],
  ])('refuses %j with %s', (input, code) => {
    const attempt = () => fromHumanDuration(input as Parameters<typeof fromHumanDuration>[0]);
    expect(attempt).toThrow(DurationError);
    expect(attempt).toThrow(expect.objectContaining({ code }));
  });

  it('round-trips: same length, and the human form is stable', () => {
    const human = fc.record({
      value: fc.integer({ min: 1, max: 200_000 }),
      unit: fc.constantFrom(...HUMAN_DURATION_UNITS),
    });
    fc.assert(
      fc.property(human, (h) => {
        let iso: string;
        try {
          iso = fromHumanDuration(h);
        } catch (error) {
          // Refused only when over 90 days.
          return (error as DurationError).code === 'duration.out_of_range';
        }
        const back = toHumanDuration(iso);
        const again = fromHumanDuration(back);
        return (
          parseDuration(again).ok &&
          (parseDuration(again) as { ms: number }).ms === (parseDuration(iso) as { ms: number }).ms &&
          fromHumanDuration(toHumanDuration(again)) === again
        );
      }),
      { numRuns: 2000 },
    );
  });
});
