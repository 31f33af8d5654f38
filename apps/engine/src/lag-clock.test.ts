import { describe, expect, it } from 'vitest';
import { createLagClock } from './lag-clock.ts';

describe('lag clock', () => {
  it('reports the partition furthest behind, and 0 for partitions with nothing left', () => {
    let now = 100_000;
    const clock = createLagClock(() => now);
    clock.processed(0, 90_000); // 10 s old when processed
    clock.processed(1, 99_000); // 1 s
    expect(
      clock.seconds(
        new Map([
          [0, 500],
          [1, 3],
        ]),
      ),
    ).toBe(10);
    expect(
      clock.seconds(
        new Map([
          [0, 0],
          [1, 3],
        ]),
      ),
    ).toBe(1);
    now = 200_000;
    clock.processed(1, Number.NaN);
    expect(clock.seconds(new Map([[1, 0]]))).toBe(0);
    // A partition behind that has not been read since it was caught up is not guessed at.
    expect(clock.seconds(new Map([[0, 7]]))).toBe(0);
  });
});
